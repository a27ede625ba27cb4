import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.ts';

const host = { hostname: 'node-1', homedir: '/root' };

describe('parseOptions', () => {
  it('fills the defaults', () => {
    expect(parseOptions([], {}, host)).toEqual({
      ok: true,
      value: {
        kubeconfig: { kind: 'file', path: '/root/.kube/config', from: 'home' },
        namespace: 'purelb',
        configMap: 'purelb-routing',
        nodeName: 'node-1',
        hostIp: undefined,
        bird: 'bird',
        birdc: 'birdc',
        runDir: '/run/purelb-routing',
        logLevel: 'info',
      },
    });
  });

  it('takes flags over the environment', () => {
    const r = parseOptions(
      [
        '--namespace',
        'lb',
        '--configmap=bgp',
        '--node-name',
        'n2',
        '--host-ip',
        '192.0.2.12',
        '--run-dir',
        '/tmp/x',
        '--log-level',
        'DEBUG',
      ],
      {
        PURELB_NAMESPACE: 'other',
        NODE_NAME: 'env-node',
        HOST_IP: '192.0.2.99',
        KUBERNETES_SERVICE_HOST: 'h',
        KUBERNETES_SERVICE_PORT: '443',
      },
      host,
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        namespace: 'lb',
        configMap: 'bgp',
        nodeName: 'n2',
        hostIp: '192.0.2.12',
        runDir: '/tmp/x',
        logLevel: 'debug',
        kubeconfig: { kind: 'in-cluster' },
      },
    });
  });

  it('reads the environment', () => {
    expect(
      parseOptions([], { PURELB_NAMESPACE: 'lb', NODE_NAME: 'n3', HOST_IP: '192.0.2.13', KUBECONFIG: '/a:/b' }, host),
    ).toMatchObject({
      ok: true,
      value: {
        namespace: 'lb',
        nodeName: 'n3',
        hostIp: '192.0.2.13',
        kubeconfig: { kind: 'file', path: '/a', from: 'KUBECONFIG' },
      },
    });
  });

  it('lists every problem, naming the flag or variable', () => {
    const r = parseOptions(
      ['--bogus', 'x', '--log-level', 'loud', '--bird=', '--namespace'],
      { NODE_NAME: 'Not_A_Node' },
      host,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['--bogus', 'x', '--namespace', 'NODE_NAME', '--bird', '--log-level']);
  });

  it('answers --help', () => {
    expect(parseOptions(['--help'], {}, host)).toEqual({ ok: true, help: true });
  });
});
