import { describe, expect, it } from 'vitest';
import { computeMembership, stewardOf, trackMembers } from './membership.ts';
import type { MemberRecords } from './membership.ts';
import type { MemberLease } from './objects-to-domain.ts';

const lease = (node: string, rv: string, over: Partial<MemberLease> = {}): MemberLease => ({
  node,
  subnets: ['192.0.2.0/24'],
  durationMs: 3000,
  renewedAtEpochMs: undefined,
  resourceVersion: rv,
  ...over,
});

const WALL = 1_700_000_000_000;

describe('trackMembers', () => {
  it('a Lease seen first counts as renewed at its renewTime, clamped to one duration and to now', () => {
    const records = trackMembers({
      previous: new Map(),
      leases: [
        lease('fresh', '1', { renewedAtEpochMs: WALL - 500 }),
        lease('old', '1', { renewedAtEpochMs: WALL - 60_000 }),
        lease('future', '1', { renewedAtEpochMs: WALL + 5_000 }),
        lease('unknown', '1'),
      ],
      now: 10_000,
      wallNow: WALL,
      defaultDurationMs: 3000,
    });
    expect(Object.fromEntries([...records].map(([n, r]) => [n, r.seenChangeAt]))).toEqual({
      fresh: 9_500,
      old: 7_000,
      future: 10_000,
      unknown: 10_000,
    });
  });

  it('our own Lease counts as renewed now when first seen (this process has just written it)', () => {
    const records = trackMembers({
      previous: new Map(),
      leases: [lease('me', '1', { renewedAtEpochMs: WALL - 60_000 })],
      now: 10_000,
      wallNow: WALL,
      defaultDurationMs: 3000,
      self: 'me',
    });
    expect(records.get('me')?.seenChangeAt).toBe(10_000);
  });

  it('a moved resourceVersion is a renewal now; an unchanged one keeps its time; a deleted Lease goes', () => {
    const first = trackMembers({
      previous: new Map(),
      leases: [lease('a', '1'), lease('b', '1'), lease('c', '1')],
      now: 0,
      wallNow: WALL,
      defaultDurationMs: 3000,
    });
    const second = trackMembers({
      previous: first,
      leases: [lease('a', '2'), lease('b', '1')],
      now: 2_000,
      wallNow: WALL,
      defaultDurationMs: 3000,
    });
    expect(Object.fromEntries([...second].map(([n, r]) => [n, r.seenChangeAt]))).toEqual({ a: 2_000, b: 0 });
  });
});

function records(entries: [string, number, Partial<MemberLease>?][]): MemberRecords {
  return new Map(entries.map(([node, seen, over]) => [node, { lease: lease(node, '1', over), seenChangeAt: seen }]));
}

describe('computeMembership', () => {
  it.each<[string, MemberRecords, number, string[], string[], boolean, number | undefined]>([
    [
      'all fresh',
      records([
        ['me', 900],
        ['a', 500],
        ['b', 0],
      ]),
      1000,
      [],
      ['a', 'b', 'me'],
      false,
      2000,
    ],
    [
      'a peer expires after its duration',
      records([
        ['me', 3500],
        ['a', 3000],
        ['b', 0],
      ]),
      3000,
      [],
      ['a', 'me'],
      false,
      3000,
    ],
    [
      'NotReady excludes a fresh member',
      records([
        ['me', 900],
        ['a', 900],
      ]),
      1000,
      ['a'],
      ['me'],
      false,
      2900,
    ],
    [
      'a longer duration keeps a member',
      records([
        ['me', 9000],
        ['slow', 0, { durationMs: 10_000 }],
      ]),
      9500,
      [],
      ['me', 'slow'],
      false,
      500,
    ],
    [
      'the default duration applies when the Lease has none',
      records([
        ['me', 4000],
        ['x', 0, { durationMs: undefined }],
      ]),
      4000,
      [],
      ['me'],
      false,
      3000,
    ],
    ['without our own Lease nobody is live', records([['a', 900]]), 1000, [], [], false, 2900],
  ])('%s', (_, recs, now, notReady, live, blind, next) => {
    const view = computeMembership({
      records: recs,
      self: 'me',
      now,
      defaultDurationMs: 3000,
      notReady: new Set(notReady),
    });
    expect([...view.live].sort()).toEqual(live);
    expect(view.blind).toBe(blind);
    expect(view.nextExpiryInMs).toBe(next);
  });

  it('freezes the view when our own Lease has not been seen renewed: nobody expires, not even us', () => {
    const recs = records([
      ['me', 1000],
      ['a', 900],
      ['b', -2500],
    ]);
    const before = computeMembership({
      records: recs,
      self: 'me',
      now: 2999,
      defaultDurationMs: 3000,
      notReady: new Set(),
    });
    expect([...before.live].sort()).toEqual(['a', 'me']);
    for (const now of [4000, 60_000]) {
      const view = computeMembership({ records: recs, self: 'me', now, defaultDurationMs: 3000, notReady: new Set() });
      expect(view.blind).toBe(true);
      expect([...view.live].sort()).toEqual(['a', 'me']);
      expect(view.nextExpiryInMs).toBeUndefined();
    }
  });

  it('lists every member with its liveness and subnets, by name', () => {
    const view = computeMembership({
      records: records([
        ['me', 900],
        ['z', 0],
        ['b', 900],
      ]),
      self: 'me',
      now: 3500,
      defaultDurationMs: 3000,
      notReady: new Set(),
    });
    expect(view.members.map((m) => [m.node, m.live])).toEqual([
      ['b', true],
      ['me', true],
      ['z', false],
    ]);
  });
});

describe('stewardOf', () => {
  it('is the lowest-named live node', () => {
    expect(stewardOf(new Set(['node-c', 'node-a', 'node-b']))).toBe('node-a');
    expect(stewardOf(new Set())).toBeUndefined();
  });
});
