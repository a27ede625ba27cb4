import { describe, expect, it } from 'vitest';
import { parseState } from './control-plane-state.ts';
import type { ControlPlaneState } from './control-plane-state.ts';

const state: ControlPlaneState = {
  version: 1,
  dir: '/tmp/cp',
  binDir: '/bin',
  kubeconfigPath: '/tmp/cp/kubeconfig',
  server: 'https://127.0.0.1:6443',
  etcdUrl: 'http://127.0.0.1:2379',
  pki: {
    caCert: '/tmp/cp/pki/ca.crt',
    servingCert: '/tmp/cp/pki/apiserver.crt',
    servingKey: '/tmp/cp/pki/apiserver.key',
    adminCert: '/tmp/cp/pki/admin.crt',
    adminKey: '/tmp/cp/pki/admin.key',
    serviceAccountKey: '/tmp/cp/pki/sa.key',
    serviceAccountPub: '/tmp/cp/pki/sa.pub',
  },
  etcd: { pid: 100, binary: '/bin/etcd', args: ['--name=x'], logPath: '/tmp/cp/logs/etcd.log' },
  apiServer: { pid: 101, binary: '/bin/kube-apiserver', args: [], logPath: '/tmp/cp/logs/kube-apiserver.log' },
};

describe('parseState', () => {
  it('round-trips what is written', () => {
    expect(parseState(JSON.stringify(state))).toEqual({ ok: true, value: state });
  });

  it('says when the text is not JSON', () => {
    const result = parseState('{');
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors[0]).toMatch(/^not JSON: /);
  });

  it('reports every bad field with its location', () => {
    const broken = {
      ...state,
      version: 2,
      server: '',
      pki: { ...state.pki, adminKey: 7 },
      etcd: { ...state.etcd, pid: 0 },
      apiServer: { ...state.apiServer, args: [1] },
    };
    expect(parseState(JSON.stringify(broken))).toEqual({
      ok: false,
      errors: [
        'version: expected 1',
        'pki.adminKey: expected a non-empty string',
        'server: expected a non-empty string',
        'etcd.pid: expected a PID above 1',
        'apiServer.args: expected a list of strings',
      ],
    });
  });

  it('rejects a missing process record', () => {
    const { etcd: _etcd, ...rest } = state;
    expect(parseState(JSON.stringify(rest))).toEqual({ ok: false, errors: ['etcd: expected an object'] });
  });
});
