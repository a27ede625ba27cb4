import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-options.ts';

describe('parseCli', () => {
  it('reads up with its defaults and flags', () => {
    expect(parseCli(['up'])).toEqual({
      ok: true,
      value: {
        kind: 'up',
        nodes: 3,
        secondLan: [],
        secondLanOnly: [],
        router: false,
        kubeconfig: undefined,
        apiServer: undefined,
        id: undefined,
      },
    });
    expect(
      parseCli([
        'up',
        '--nodes',
        '4',
        '--second-lan',
        '2,4',
        '--second-lan-only',
        '5',
        '--router',
        '--kubeconfig',
        '/k',
        '--id',
        'demo',
      ]),
    ).toEqual({
      ok: true,
      value: {
        kind: 'up',
        nodes: 4,
        secondLan: [2, 4],
        secondLanOnly: [5],
        router: true,
        kubeconfig: '/k',
        apiServer: undefined,
        id: 'demo',
      },
    });
  });

  it('reads status and down', () => {
    expect(parseCli(['status'])).toEqual({ ok: true, value: { kind: 'status' } });
    expect(parseCli(['down', '--id', 'x'])).toEqual({ ok: true, value: { kind: 'down', id: 'x' } });
  });

  it.each([
    [[], 'no command'],
    [['sideways'], 'unknown command sideways'],
    [['up', '--nodes', 'three'], '--nodes three is not a whole number'],
    [['up', '--second-lan', '2;3'], '--second-lan 2;3 is not a list like 2,3'],
    [['up', '--kubeconfig', 'k', '--api-server', 'https://127.0.0.1:1'], 'give --kubeconfig or --api-server, not both'],
    [['down', 'extra'], 'unexpected argument extra'],
  ])('%j is a usage problem: %s', (argv, message) => {
    expect(parseCli(argv)).toEqual({ ok: false, error: { code: 'Usage', message } });
  });

  it('refuses unknown flags', () => {
    expect(parseCli(['up', '--bogus']).ok).toBe(false);
  });
});
