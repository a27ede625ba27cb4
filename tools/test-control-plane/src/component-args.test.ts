import { describe, expect, it } from 'vitest';
import { apiServerArgs, etcdArgs, SERVICE_CLUSTER_IP_RANGE } from './component-args.ts';
import type { PkiPaths } from './pki.ts';

const pki: PkiPaths = {
  caCert: '/p/ca.crt',
  servingCert: '/p/apiserver.crt',
  servingKey: '/p/apiserver.key',
  adminCert: '/p/admin.crt',
  adminKey: '/p/admin.key',
  serviceAccountKey: '/p/sa.key',
  serviceAccountPub: '/p/sa.pub',
};

describe('etcdArgs', () => {
  it('listens on loopback only, one member, without fsync', () => {
    expect(etcdArgs({ dataDir: '/d/etcd', clientPort: 2379, peerPort: 2380 })).toEqual([
      '--name=purelb-test',
      '--data-dir=/d/etcd',
      '--listen-client-urls=http://127.0.0.1:2379',
      '--advertise-client-urls=http://127.0.0.1:2379',
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=purelb-test=http://127.0.0.1:2380',
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
  });
});

describe('apiServerArgs', () => {
  const args = apiServerArgs({ etcdUrl: 'http://127.0.0.1:2379', port: 6443, pki, certDir: '/d/certs' });

  it.each([
    '--etcd-servers=http://127.0.0.1:2379',
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    '--secure-port=6443',
    '--tls-cert-file=/p/apiserver.crt',
    '--tls-private-key-file=/p/apiserver.key',
    '--client-ca-file=/p/ca.crt',
    '--authorization-mode=RBAC',
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--service-account-issuer=https://127.0.0.1:6443',
    '--service-account-key-file=/p/sa.pub',
    '--service-account-signing-key-file=/p/sa.key',
    '--disable-admission-plugins=ServiceAccount',
  ])('passes %s', (flag) => {
    expect(args).toContain(flag);
  });

  it('never passes a flag twice', () => {
    const names = args.map((a) => a.split('=')[0]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('appends extra flags last, so they override defaults of the same name', () => {
    const extra = apiServerArgs({
      etcdUrl: 'http://127.0.0.1:1',
      port: 1,
      pki,
      certDir: '/c',
      extraArgs: ['--watch-cache=false', '--v=2'],
    });
    expect(extra.slice(-2)).toEqual(['--watch-cache=false', '--v=2']);
    expect(extra.slice(0, -2)).toEqual(apiServerArgs({ etcdUrl: 'http://127.0.0.1:1', port: 1, pki, certDir: '/c' }));
  });
});
