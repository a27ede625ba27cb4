import { describe, expect, it } from 'vitest';
import type { CommandLineError } from './command-line.ts';
import { kubeconfigSource, parseBool, parseListen, readFlags } from './command-line.ts';

const NAMES = ['kubeconfig', 'listen', 'default-class'] as const;

describe('readFlags', () => {
  it('reads --flag value and --flag=value, a bare flag as true, --help, -h and --version', () => {
    const errors: CommandLineError[] = [];
    const r = readFlags(
      ['--listen', ':7472', '--kubeconfig=/k', '--default-class', '-h', '--version'],
      { names: NAMES, bare: ['default-class'] },
      errors,
    );
    expect(errors).toEqual([]);
    expect(Object.fromEntries(r.flags)).toEqual({ listen: ':7472', kubeconfig: '/k', 'default-class': 'true' });
    expect([r.help, r.version]).toEqual([true, true]);
  });

  it('reports every problem with its code and flag, and goes on reading', () => {
    const errors: CommandLineError[] = [];
    const r = readFlags(
      ['stray', '--bogus=1', '--listen', '--kubeconfig', '/a', '--kubeconfig=/b'],
      { names: NAMES },
      errors,
    );
    expect(errors.map((e) => [e.code, e.path])).toEqual([
      ['UnexpectedArgument', 'stray'],
      ['UnknownFlag', '--bogus'],
      ['MissingValue', '--listen'],
      ['RepeatedFlag', '--kubeconfig'],
    ]);
    expect(Object.fromEntries(r.flags)).toEqual({ kubeconfig: '/a' });
    expect(errors[2]?.message).toBe('--listen needs a value');
  });
});

describe('parseBool', () => {
  it.each([
    ['true', true],
    ['YES', true],
    ['1', true],
    [' false ', false],
    ['no', false],
    ['0', false],
  ])('%j is %s', (raw, value) => {
    const errors: CommandLineError[] = [];
    expect(parseBool('--x', raw, errors)).toBe(value);
    expect(errors).toEqual([]);
  });

  it('refuses anything else, naming the flag', () => {
    const errors: CommandLineError[] = [];
    parseBool('--default-class', 'maybe', errors);
    expect(errors).toEqual([
      { code: 'InvalidValue', path: '--default-class', message: '--default-class must be true or false, got "maybe"' },
    ]);
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:7472', { host: '127.0.0.1', port: 7472 }],
    [':0', { host: '0.0.0.0', port: 0 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
  ])('%j', (raw, address) => {
    const errors: CommandLineError[] = [];
    expect(parseListen('--listen', raw, errors)).toEqual(address);
    expect(errors).toEqual([]);
  });

  it.each([
    ['7472', 'InvalidValue', /must be HOST:PORT/],
    ['::1:80', 'InvalidValue', /IPv6 as \[ADDR\]:PORT/],
    [':70000', 'OutOfRange', /port must be 0..65535, got 70000/],
  ])('refuses %j', (raw, code, message) => {
    const errors: CommandLineError[] = [];
    parseListen('--listen', raw, errors);
    expect(errors).toEqual([{ code, path: '--listen', message: expect.stringMatching(message) as string }]);
  });
});

describe('kubeconfigSource', () => {
  const env =
    (values: Record<string, string>) =>
    (name: string): string | undefined =>
      values[name];
  const inCluster = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

  it('takes the flag first, then the first file of KUBECONFIG, then the service account, then ~/.kube/config', () => {
    const errors: CommandLineError[] = [];
    expect(
      kubeconfigSource({ flag: ' /f ', env: env({ KUBECONFIG: '/e', ...inCluster }), homedir: '/home/u' }, errors),
    ).toEqual({
      kind: 'file',
      path: '/f',
      from: '--kubeconfig',
    });
    expect(
      kubeconfigSource(
        { flag: undefined, env: env({ KUBECONFIG: ':/e1:/e2', ...inCluster }), homedir: '/home/u' },
        errors,
      ),
    ).toEqual({
      kind: 'file',
      path: '/e1',
      from: 'KUBECONFIG',
    });
    expect(kubeconfigSource({ flag: undefined, env: env(inCluster), homedir: '/home/u' }, errors)).toEqual({
      kind: 'in-cluster',
    });
    expect(
      kubeconfigSource({ flag: undefined, env: env({ KUBERNETES_SERVICE_HOST: 'h' }), homedir: '/home/u' }, errors),
    ).toEqual({
      kind: 'file',
      path: '/home/u/.kube/config',
      from: 'home',
    });
    expect(errors).toEqual([]);
  });

  it('refuses an empty --kubeconfig', () => {
    const errors: CommandLineError[] = [];
    kubeconfigSource({ flag: '  ', env: env({}), homedir: '/home/u' }, errors);
    expect(errors).toEqual([{ code: 'InvalidValue', path: '--kubeconfig', message: '--kubeconfig must not be empty' }]);
  });
});
