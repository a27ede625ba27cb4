// Benchmark of the address election (not a test: it prints numbers). Run with
// `npm run bench -w @purelb/election`. 10,000 addresses (half in 198.18.0.0/15, half in
// 2001:db8::/64) and 100 live nodes that all have both subnets. Against it, in the same run, the
// naive way: a fresh createHash('sha256') per (node, address) pair and a full re-election on every
// change. Each figure is the best of several rounds, next to the median (the machine is shared).
import { createHash } from 'node:crypto';
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import { createAddressElector, hashCandidate } from '../src/index.ts';
import type { AddressElector, Candidate } from '../src/index.ts';

const NODES = 100;
const ADDRESSES = 10_000;
const SUBNETS = ['198.18.0.0/15', '2001:db8::/64'];

const names = Array.from({ length: NODES }, (_, i) => `node-${String(i).padStart(3, '0')}`);
const candidates: Candidate[] = names.map((name) => ({ name, subnets: SUBNETS, live: true }));
/** Canonical text (the naive election hashes it as it is). */
function canonical(text: string): string {
  const parsed = parseAddress(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return formatAddress(parsed.value);
}
const addresses = Array.from({ length: ADDRESSES }, (_, i) =>
  canonical(
    i % 2 === 0
      ? `198.${18 + (i >> 17)}.${(i >> 9) & 255}.${(i >> 1) & 255}`
      : `2001:db8::${((i * 40503) & 0xffff).toString(16)}:${i.toString(16)}`,
  ),
);

interface Sample {
  readonly best: number;
  readonly median: number;
}

function summarise(xs: readonly number[]): Sample {
  const sorted = [...xs].sort((a, b) => a - b);
  return { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** The naive election: every pair hashed with a fresh createHash, the lowest digest (then name) wins. */
function naiveElectAll(nodes: readonly string[]): Map<string, string> {
  const winners = new Map<string, string>();
  for (const address of addresses) {
    let best: Buffer | undefined;
    let winner = '';
    for (const node of nodes) {
      const digest = createHash('sha256').update(`${node}#${address}`).digest();
      const c = best === undefined ? -1 : Buffer.compare(digest, best);
      if (c < 0 || (c === 0 && node < winner)) {
        best = digest;
        winner = node;
      }
    }
    winners.set(address, winner);
  }
  return winners;
}

function mustTrack(elector: AddressElector): void {
  const r = elector.setAddresses(addresses);
  if (!r.ok) throw new Error(r.errors[0]?.message);
}

// The digest alone.
const hashRounds: number[] = [];
for (let r = 0; r < 7; r++) {
  const n = 200_000;
  const t = time(() => {
    for (let i = 0; i < n; i++) hashCandidate(names[i % NODES]!, addresses[i % ADDRESSES]!);
  });
  if (r >= 2) hashRounds.push((t * 1e6) / n);
}
const naiveHashRounds: number[] = [];
for (let r = 0; r < 7; r++) {
  const n = 200_000;
  const t = time(() => {
    for (let i = 0; i < n; i++)
      createHash('sha256')
        .update(`${names[i % NODES]!}#${addresses[i % ADDRESSES]!}`)
        .digest();
  });
  if (r >= 2) naiveHashRounds.push((t * 1e6) / n);
}
const hashNs = summarise(hashRounds);
const naiveHashNs = summarise(naiveHashRounds);

// Full election: 10,000 addresses, 100 nodes, from an empty elector.
const fullRounds: number[] = [];
let elector = createAddressElector(candidates);
for (let r = 0; r < 4; r++) {
  elector = createAddressElector(candidates);
  const e = elector;
  const t = time(() => {
    mustTrack(e);
  });
  if (r >= 1) fullRounds.push(t);
}
const full = summarise(fullRounds);

// The naive full election, also the cost of every naive update; its winners check the elector's.
const naiveRounds: number[] = [];
let naive = new Map<string, string>();
for (let r = 0; r < 3; r++) naiveRounds.push(time(() => (naive = naiveElectAll(names))));
const naiveFull = summarise(naiveRounds);
for (const [address, winner] of naive) {
  if (elector.winnerOf(address) !== winner)
    throw new Error(`${address}: elector says ${elector.winnerOf(address)}, naive ${winner}`);
}
const naiveLeaveRounds: number[] = [];
for (let r = 0; r < 3; r++) naiveLeaveRounds.push(time(() => naiveElectAll(names.slice(1))));
const naiveLeave = summarise(naiveLeaveRounds);

// Incremental updates on the full elector: leave, join, die, come back, change subnets.
const leaveRounds: number[] = [];
const joinRounds: number[] = [];
const dieRounds: number[] = [];
const reviveRounds: number[] = [];
const subnetRounds: number[] = [];
let moved = 0;
for (let r = 0; r < 30; r++) {
  const c = candidates[(r * 37) % NODES]!;
  let changes = 0;
  leaveRounds.push(time(() => (changes = elector.removeCandidate(c.name).length)));
  moved += changes;
  joinRounds.push(time(() => elector.setCandidate(c)));
  dieRounds.push(time(() => elector.setCandidate({ ...c, live: false })));
  reviveRounds.push(time(() => elector.setCandidate(c)));
  subnetRounds.push(time(() => elector.setCandidate({ ...c, subnets: [SUBNETS[0]!] })));
  elector.setCandidate(c);
}
// The full election of addresses no node can hold (virtual ones): a daemon asks it of each of them
// on every pass, for the reason it has no winner.
const outside = Array.from({ length: 1000 }, (_, i) => `203.0.113.${i % 256}`);
const reasonRounds: number[] = [];
for (let r = 0; r < 7; r++) {
  const t = time(() => {
    for (const address of outside) if (elector.electionOf(address).ok) throw new Error(`${address} has a winner`);
  });
  if (r >= 2) reasonRounds.push(t);
}
const reason = summarise(reasonRounds);
const leave = summarise(leaveRounds);
const join = summarise(joinRounds);
const die = summarise(dieRounds);
const revive = summarise(reviveRounds);
const subnet = summarise(subnetRounds);
for (const [address, winner] of naive) {
  if (elector.winnerOf(address) !== winner)
    throw new Error(`${address}: after updates elector says ${elector.winnerOf(address)}, naive ${winner}`);
}

console.log(`@purelb/election: ${fmt(ADDRESSES, 0)} addresses, ${NODES} nodes (best / median of rounds)`);
console.log(`  SHA-256 digest (crypto.hash)              ${fmt(hashNs.best, 0)} / ${fmt(hashNs.median, 0)} ns`);
console.log(
  `  SHA-256 digest (fresh createHash, naive)  ${fmt(naiveHashNs.best, 0)} / ${fmt(naiveHashNs.median, 0)} ns`,
);
console.log(
  `  full election                             ${fmt(full.best)} / ${fmt(full.median)} ms   (target <= 2,000 ms)`,
);
console.log(`  naive full election (= any naive update)  ${fmt(naiveFull.best)} / ${fmt(naiveFull.median)} ms`);
console.log(
  `  node joins                                ${fmt(join.best, 2)} / ${fmt(join.median, 2)} ms   (target <= 50 ms)`,
);
console.log(
  `  node leaves                               ${fmt(leave.best, 2)} / ${fmt(leave.median, 2)} ms   (target <= 20 ms; ${fmt(moved / leaveRounds.length, 0)} addresses move on average)`,
);
console.log(`  node dies / comes back                    ${fmt(die.best, 2)} / ${fmt(revive.best, 2)} ms`);
console.log(`  node drops its IPv6 subnet                ${fmt(subnet.best, 2)} ms`);
console.log(`  naive re-election after a leave           ${fmt(naiveLeave.best)} ms`);
console.log(`  1,000 elections without a winner          ${fmt(reason.best, 2)} / ${fmt(reason.median, 2)} ms`);
console.log(
  `  speed-up over naive: join ${fmt(naiveFull.best / join.best, 0)}x, leave ${fmt(naiveLeave.best / leave.best, 0)}x (target >= 20x)`,
);
console.log(
  JSON.stringify({
    hashNs: round(hashNs.best, 0),
    fullElect10kAddr100NodesMs: round(full.best, 1),
    joinUpdate10kAddrMs: round(join.best),
    leaveUpdate10kAddrMs: round(leave.best),
    dieUpdate10kAddrMs: round(die.best),
    subnetChangeUpdate10kAddrMs: round(subnet.best),
    noWinnerElection1kMs: round(reason.best),
    naiveHashNs: round(naiveHashNs.best, 0),
    naiveFullElectMs: round(naiveFull.best, 1),
    naiveJoinMs: round(naiveFull.best, 1),
    naiveLeaveMs: round(naiveLeave.best, 1),
    joinSpeedup: round(naiveFull.best / join.best, 0),
    leaveSpeedup: round(naiveLeave.best / leave.best, 0),
    fullSpeedup: round(naiveFull.best / full.best, 1),
  }),
);
