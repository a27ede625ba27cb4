import { describe, expect, it } from 'vitest';
import { parseArgs, usage } from './parse-args.ts';
import type { ArgsContext, Invocation } from './parse-args.ts';

const ctx: ArgsContext = { env: {}, homedir: '/home/op', delimiter: ':' };

function run(argv: string[], c: ArgsContext = ctx): Extract<Invocation, { kind: 'run' }> {
  const r = parseArgs(argv, c);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  if (r.value.kind !== 'run') throw new Error('help');
  return r.value;
}

const errorsOf = (argv: string[]): [string, string][] => {
  const r = parseArgs(argv, ctx);
  return r.ok ? [] : r.errors.map((e) => [e.code, e.message]);
};

describe('parseArgs', () => {
  it('gives every command its defaults: ~/.kube/config, install namespace purelb, table output', () => {
    expect(run(['pools'])).toEqual({
      kind: 'run',
      command: { kind: 'pools' },
      options: {
        kubeconfig: { path: '/home/op/.kube/config', from: 'home' },
        installNamespace: 'purelb',
        namespace: undefined,
        output: 'table',
        pendingOnly: false,
        offline: false,
      },
    });
  });

  it('takes the kubeconfig from --kubeconfig, else the first entry of KUBECONFIG', () => {
    const env = { KUBECONFIG: ':/a/one:/b/two', PURELB_NAMESPACE: 'lb-system' };
    expect(run(['services'], { ...ctx, env }).options).toMatchObject({
      kubeconfig: { path: '/a/one', from: 'KUBECONFIG' },
      installNamespace: 'lb-system',
    });
    expect(run(['services', '--kubeconfig=/x'], { ...ctx, env }).options.kubeconfig).toEqual({
      path: '/x',
      from: '--kubeconfig',
    });
  });

  it('reads flags before and after the command, with = or a separate value', () => {
    const v = run(['-n', 'apps', 'services', '--pending', '-o=wide', '--install-namespace', 'lb']);
    expect(v.options).toMatchObject({ namespace: 'apps', pendingOnly: true, output: 'wide', installNamespace: 'lb' });
  });

  it('names a Service NAMESPACE/NAME, or NAME in -n, else in default', () => {
    expect(run(['explain', 'apps/web']).command).toEqual({ kind: 'explain', key: 'apps/web' });
    expect(run(['explain', 'web', '-n', 'apps']).command).toEqual({ kind: 'explain', key: 'apps/web' });
    expect(run(['explain', 'web']).command).toEqual({ kind: 'explain', key: 'default/web' });
  });

  it('takes a file or - for validate, and --offline', () => {
    expect(run(['validate', '-', '--offline'])).toMatchObject({
      command: { kind: 'validate', file: '-' },
      options: { offline: true },
    });
  });

  it('answers help for no arguments, help, -h and --help', () => {
    for (const argv of [[], ['help'], ['pools', '-h'], ['--help']]) {
      expect(parseArgs(argv, ctx)).toEqual({ ok: true, value: { kind: 'help', text: usage } });
    }
  });

  it('reports every problem with its code', () => {
    expect(errorsOf(['explode'])).toEqual([
      ['UnknownCommand', 'unknown command "explode" (commands: pools, services, explain, validate, version)'],
    ]);
    expect(errorsOf(['pools', 'extra', '--nope', '-o', 'yaml', '--kubeconfig'])).toEqual([
      ['UnknownFlag', 'unknown flag --nope'],
      ['MissingValue', '--kubeconfig needs a value'],
      ['BadValue', '--output must be table, wide or json (got "yaml")'],
      ['UnexpectedArgument', 'unexpected argument "extra"'],
    ]);
    expect(errorsOf(['explain'])).toEqual([
      ['MissingArgument', 'explain needs a Service: NAMESPACE/NAME, or NAME with -n'],
    ]);
    expect(errorsOf(['explain', 'a/b/c'])).toEqual([['BadValue', '"a/b/c" is not NAMESPACE/NAME of a Service']]);
    expect(errorsOf(['services', '-n', 'Apps'])).toEqual([['BadValue', '--namespace "Apps" is not a namespace name']]);
  });
});
