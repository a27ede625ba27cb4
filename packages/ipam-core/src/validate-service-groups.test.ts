import { describe, expect, it } from 'vitest';
import { validateServiceGroups } from './validate-service-groups.ts';
import type { GroupCheck, GroupInput } from './validate-service-groups.ts';

const v4 = (pool: string, subnet = '192.0.2.0/24') => ({ local: { v4pools: [{ pool, subnet }] } });

/** `name: ok` or `name: Reason: path: message | ...`. */
function verdicts(checks: readonly GroupCheck[]): string[] {
  return checks.map((c) =>
    c.ok ? `${c.name}: ok` : `${c.name}: ${c.code}: ${c.errors.map((e) => `${e.path}: ${e.message}`).join(' | ')}`,
  );
}

describe('validateServiceGroups', () => {
  it.each<[string, GroupInput[], string[]]>([
    [
      'disjoint groups are all valid',
      [
        { name: 'a', createdAt: '2024-01-01T00:00:00Z', spec: v4('192.0.2.0-192.0.2.9') },
        { name: 'b', createdAt: '2024-01-01T00:00:00Z', spec: v4('192.0.2.10-192.0.2.19') },
      ],
      ['a: ok', 'b: ok'],
    ],
    [
      'the older group wins an overlap, whatever the input order',
      [
        { name: 'new', createdAt: '2024-05-01T00:00:00Z', spec: v4('192.0.2.5-192.0.2.15') },
        { name: 'old', createdAt: '2024-01-01T00:00:00Z', spec: v4('192.0.2.0-192.0.2.9') },
      ],
      [
        'new: Overlap: spec.local.v4pools[0].pool: pool 192.0.2.5-192.0.2.15 overlaps pool 192.0.2.0-192.0.2.9 of group "old" (spec.local.v4pools[0].pool)',
        'old: ok',
      ],
    ],
    [
      'same creation time: the name decides',
      [
        { name: 'zeta', createdAt: 1000, spec: v4('192.0.2.0/28') },
        { name: 'alpha', createdAt: 1000, spec: v4('192.0.2.0/24') },
      ],
      [
        'zeta: Overlap: spec.local.v4pools[0].pool: pool 192.0.2.0-192.0.2.15 is inside pool 192.0.2.0-192.0.2.255 of group "alpha" (spec.local.v4pools[0].pool)',
        'alpha: ok',
      ],
    ],
    [
      'containment across groups and families',
      [
        {
          name: 'big',
          createdAt: 1,
          spec: { local: { v6pools: [{ pool: '2001:db8::/64', subnet: '2001:db8::/64' }] } },
        },
        {
          name: 'small',
          createdAt: 2,
          spec: {
            local: {
              v4pools: [{ pool: '198.51.100.0/30', subnet: '198.51.100.0/24' }],
              v6pools: [{ pool: '2001:db8::100/120', subnet: '2001:db8::/64' }],
            },
          },
        },
      ],
      [
        'big: ok',
        'small: Overlap: spec.local.v6pools[0].pool: pool 2001:db8::100-2001:db8::1ff is inside pool 2001:db8::-2001:db8::ffff:ffff:ffff:ffff of group "big" (spec.local.v6pools[0].pool)',
      ],
    ],
    [
      'a group invalid on its own claims nothing',
      [
        {
          name: 'broken',
          createdAt: 1,
          spec: { local: { v4pools: [{ pool: '192.0.2.0/24', subnet: '192.0.2.0/24', aggregation: '/40' }] } },
        },
        { name: 'fine', createdAt: 2, spec: v4('192.0.2.0/24') },
      ],
      [
        'broken: InvalidPool: spec.local.v4pools[0].aggregation: aggregation must be "default" or "/N" with N from 8 to 32 (got "/40")',
        'fine: ok',
      ],
    ],
    [
      'a group rejected for overlap does not block a third one',
      [
        { name: 'a', createdAt: 1, spec: v4('192.0.2.0-192.0.2.9') },
        { name: 'b', createdAt: 2, spec: v4('192.0.2.5-192.0.2.20') },
        { name: 'c', createdAt: 3, spec: v4('192.0.2.15-192.0.2.30') },
      ],
      [
        'a: ok',
        'b: Overlap: spec.local.v4pools[0].pool: pool 192.0.2.5-192.0.2.20 overlaps pool 192.0.2.0-192.0.2.9 of group "a" (spec.local.v4pools[0].pool)',
        'c: ok',
      ],
    ],
    [
      'epoch numbers sort before strings; each pool reports its first clash',
      [
        {
          name: 's',
          createdAt: '1970-01-01T00:00:00Z',
          spec: {
            local: {
              v4pools: [
                { pool: '192.0.2.0/26', subnet: '192.0.2.0/24' },
                { pool: '192.0.2.128/26', subnet: '192.0.2.0/24' },
              ],
            },
          },
        },
        {
          name: 'n',
          createdAt: 5,
          spec: {
            local: {
              v4pools: [
                { pool: '192.0.2.0/25', subnet: '192.0.2.0/24' },
                { pool: '192.0.2.128/25', subnet: '192.0.2.0/24' },
              ],
            },
          },
        },
      ],
      [
        's: Overlap: spec.local.v4pools[0].pool: pool 192.0.2.0-192.0.2.63 is inside pool 192.0.2.0-192.0.2.127 of group "n" (spec.local.v4pools[0].pool) | spec.local.v4pools[1].pool: pool 192.0.2.128-192.0.2.191 is inside pool 192.0.2.128-192.0.2.255 of group "n" (spec.local.v4pools[1].pool)',
        'n: ok',
      ],
    ],
  ])('%s', (_name, inputs, expected) => {
    expect(verdicts(validateServiceGroups(inputs))).toEqual(expected);
  });

  it('names the winning group on each overlap error', () => {
    const [, loser] = validateServiceGroups([
      { name: 'a', createdAt: 1, spec: v4('192.0.2.0/24') },
      { name: 'b', createdAt: 2, spec: v4('192.0.2.7/32') },
    ]);
    expect(loser?.ok === false ? loser.errors.map((e) => [e.code, e.otherGroup]) : []).toEqual([['Overlap', 'a']]);
  });

  it('gives InvalidPool precedence when a group has both kinds of problem', () => {
    const [check] = validateServiceGroups([
      {
        name: 'g',
        createdAt: 1,
        spec: {
          local: {
            v4pools: [
              { pool: '192.0.2.0/24', subnet: '192.0.2.0/24' },
              { pool: '192.0.2.0/25', subnet: '192.0.2.0/24' },
              { pool: 'x', subnet: '192.0.2.0/24' },
            ],
          },
        },
      },
    ]);
    expect(check?.ok === false ? check.code : 'ok').toBe('InvalidPool');
  });
});
