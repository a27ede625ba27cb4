import { describe, expect, it } from 'vitest';
import { parseOptions, usage } from './options.ts';
import type { AllocatorOptions, ParseOptionsResult } from './options.ts';

const host = { hostname: 'node-a', pid: 42, homedir: '/home/op' };

function ok(result: ParseOptionsResult): AllocatorOptions {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.errors)}`);
  if (result.value.kind !== 'run') throw new Error('expected options, got help');
  return result.value.options;
}
function errorPaths(result: ParseOptionsResult): string[] {
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e) => e.path);
}

describe('parseOptions', () => {
  it('gives the documented defaults', () => {
    expect(ok(parseOptions([], {}, host))).toEqual({
      kubeconfig: { kind: 'file', path: '/home/op/.kube/config', from: 'home' },
      namespace: 'purelb',
      defaultClass: true,
      identity: 'node-a-42',
      leaseDurationMs: 15000,
      renewDeadlineMs: 10000,
      retryPeriodMs: 2000,
      listen: { host: '0.0.0.0', port: 7472 },
      logLevel: 'info',
    });
  });

  it('reads every flag in both --flag value and --flag=value form', () => {
    const o = ok(
      parseOptions(
        [
          '--kubeconfig',
          '/tmp/kc',
          '--namespace=lb-system',
          '--default-class=false',
          '--identity',
          'pod-1',
          '--lease-duration',
          '3000',
          '--renew-deadline=2000',
          '--retry-period',
          '500',
          '--listen',
          '127.0.0.1:0',
          '--log-level',
          'debug',
        ],
        {},
        host,
      ),
    );
    expect(o).toEqual({
      kubeconfig: { kind: 'file', path: '/tmp/kc', from: '--kubeconfig' },
      namespace: 'lb-system',
      defaultClass: false,
      identity: 'pod-1',
      leaseDurationMs: 3000,
      renewDeadlineMs: 2000,
      retryPeriodMs: 500,
      listen: { host: '127.0.0.1', port: 0 },
      logLevel: 'debug',
    });
  });

  it('takes the environment when no flag is given, and flags over the environment', () => {
    const env = { KUBECONFIG: '/etc/kc:/other', PURELB_NAMESPACE: 'from-env', POD_NAME: 'allocator-xyz' };
    const fromEnv = ok(parseOptions([], env, host));
    expect(fromEnv.kubeconfig).toEqual({ kind: 'file', path: '/etc/kc', from: 'KUBECONFIG' });
    expect(fromEnv.namespace).toBe('from-env');
    expect(fromEnv.identity).toBe('allocator-xyz');
    const flagsWin = ok(parseOptions(['--namespace', 'flag-ns', '--identity', 'me', '--kubeconfig', '/k'], env, host));
    expect([flagsWin.namespace, flagsWin.identity, flagsWin.kubeconfig]).toEqual([
      'flag-ns',
      'me',
      { kind: 'file', path: '/k', from: '--kubeconfig' },
    ]);
  });

  it('uses the in-cluster configuration inside a pod when nothing else is given', () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    expect(ok(parseOptions([], env, host)).kubeconfig).toEqual({ kind: 'in-cluster' });
  });

  it.each([
    [['--default-class'], true],
    [['--default-class=true'], true],
    [['--default-class=no'], false],
    [['--default-class=0'], false],
  ])('reads the boolean %j as %s', (argv, expected) => {
    expect(ok(parseOptions(argv, {}, host)).defaultClass).toBe(expected);
  });

  it.each([
    ['[::1]:9000', { host: '::1', port: 9000 }],
    [':8080', { host: '0.0.0.0', port: 8080 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
  ])('reads --listen %s', (raw, expected) => {
    expect(ok(parseOptions(['--listen', raw], {}, host)).listen).toEqual(expected);
  });

  it.each([
    [['--lease-duration', '15s'], ['--lease-duration']],
    [['--lease-duration', '0'], ['--lease-duration']],
    [['--retry-period', '-1'], ['--retry-period']],
    [['--listen', '127.0.0.1'], ['--listen']],
    [['--listen', '127.0.0.1:70000'], ['--listen']],
    [['--log-level', 'loud'], ['--log-level']],
    [['--namespace', 'Not_Valid'], ['--namespace']],
    [['--default-class=maybe'], ['--default-class']],
    [['--bogus=x'], ['--bogus']],
    [['stray'], ['stray']],
    [['--namespace'], ['--namespace']],
    [['--namespace', 'a', '--namespace', 'b'], ['--namespace']],
    [['--renew-deadline', '20000'], ['--renew-deadline']],
    [['--retry-period', '10000'], ['--retry-period']],
    [['--identity', ''], ['--identity']],
  ])('rejects %j naming %j', (argv, paths) => {
    expect(errorPaths(parseOptions(argv, {}, host))).toEqual(paths);
  });

  it('names the environment variable when the bad value came from it', () => {
    expect(errorPaths(parseOptions([], { PURELB_NAMESPACE: 'UPPER' }, host))).toEqual(['PURELB_NAMESPACE']);
  });

  it('reports every problem at once', () => {
    const r = parseOptions(['--lease-duration', 'x', '--log-level', 'nope', '--listen', 'bad'], {}, host);
    expect(errorPaths(r).sort()).toEqual(['--lease-duration', '--listen', '--log-level']);
    if (!r.ok) expect(r.errors.find((e) => e.path === '--log-level')?.message).toContain('"nope"');
  });

  it('gives every problem a code from the closed set', () => {
    const r = parseOptions(
      [
        'stray',
        '--nope',
        '--listen',
        '--identity',
        'a',
        '--identity',
        'b',
        '--lease-duration',
        '0',
        '--retry-period',
        'x',
      ],
      {},
      host,
    );
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.path])).toEqual([
      ['UnexpectedArgument', 'stray'],
      ['UnknownFlag', '--nope'],
      ['MissingValue', '--listen'],
      ['RepeatedFlag', '--identity'],
      ['OutOfRange', '--lease-duration'],
      ['InvalidValue', '--retry-period'],
    ]);
    const inconsistent = parseOptions(['--renew-deadline', '20000'], {}, host);
    expect(inconsistent.ok ? [] : inconsistent.errors.map((e) => [e.code, e.path, e.message])).toEqual([
      [
        'Inconsistent',
        '--renew-deadline',
        '--renew-deadline (20000 ms) must be shorter than --lease-duration (15000 ms)',
      ],
    ]);
  });

  it('recognises --help', () => {
    expect(parseOptions(['--help'], {}, host)).toEqual({ ok: true, value: { kind: 'help', text: usage } });
    expect(parseOptions(['--lease-duration', 'x', '-h'], {}, host)).toMatchObject({
      ok: true,
      value: { kind: 'help' },
    });
  });

  it('recognises --version', () => {
    expect(parseOptions(['--version'], {}, host)).toEqual({ ok: true, value: { kind: 'version' } });
    expect(parseOptions(['--log-level', 'loud', '--version'], {}, host)).toEqual({
      ok: true,
      value: { kind: 'version' },
    });
    expect(usage).toContain('--version');
  });
});
