import { describe, expect, it } from 'vitest';
import { parseOptions, usage } from './options.ts';

const host = { hostname: 'node-1', homedir: '/root' };

describe('parseOptions', () => {
  it('has defaults for everything', () => {
    expect(parseOptions([], {}, host)).toEqual({
      ok: true,
      value: {
        kubeconfig: { kind: 'file', path: '/root/.kube/config', from: 'home' },
        nodeName: 'node-1',
        namespace: 'purelb',
        defaultClass: true,
        leaseDurationMs: 3000,
        linkKind: 'dummy',
        listen: { host: '0.0.0.0', port: 7473 },
        logLevel: 'info',
      },
    });
  });

  it('takes flags over the environment', () => {
    const r = parseOptions(
      [
        '--node-name',
        'n2',
        '--namespace=lb',
        '--default-class=false',
        '--lease-duration',
        '4500ms',
        '--listen',
        '[::1]:0',
        '--log-level',
        'DEBUG',
        '--link-kind',
        'bridge',
      ],
      { NODE_NAME: 'env-node', PURELB_NAMESPACE: 'envns', KUBECONFIG: '/a:/b' },
      host,
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        nodeName: 'n2',
        namespace: 'lb',
        defaultClass: false,
        leaseDurationMs: 4500,
        listen: { host: '::1', port: 0 },
        logLevel: 'debug',
        linkKind: 'bridge',
        kubeconfig: { kind: 'file', path: '/a', from: 'KUBECONFIG' },
      },
    });
    expect(
      parseOptions(
        [],
        { NODE_NAME: 'env-node', KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        host,
      ),
    ).toMatchObject({
      ok: true,
      value: { nodeName: 'env-node', kubeconfig: { kind: 'in-cluster' } },
    });
  });

  it.each([
    ['3s', 3000],
    ['3000', 3000],
    ['10s', 10_000],
  ])('reads the lease duration %s', (raw, ms) => {
    expect(parseOptions(['--lease-duration', raw], {}, host)).toMatchObject({
      ok: true,
      value: { leaseDurationMs: ms },
    });
  });

  it('reports every problem with the flag or variable it is about', () => {
    const r = parseOptions(
      [
        '--lease-duration',
        '500ms',
        '--bogus',
        'x',
        '--listen',
        'nope',
        '--log-level',
        'loud',
        '--node-name',
        'Bad_Name',
      ],
      { PURELB_NAMESPACE: 'Not OK' },
      host,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      '--bogus',
      'x',
      '--node-name',
      'PURELB_NAMESPACE',
      '--lease-duration',
      '--listen',
      '--log-level',
    ]);
    expect(r.errors.find((e) => e.path === '--lease-duration')?.message).toBe(
      '--lease-duration must be between 1s and 1h, got 500ms',
    );
  });

  it('asks for help', () => {
    expect(parseOptions(['--help'], {}, host)).toEqual({ ok: true, help: true });
  });

  it('asks for the version', () => {
    expect(parseOptions(['--version'], {}, host)).toEqual({ ok: true, version: true });
    expect(parseOptions(['--log-level', 'loud', '--version'], {}, host)).toEqual({ ok: true, version: true });
    expect(usage).toContain('--version');
  });
});
