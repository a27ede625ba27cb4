// Benchmarks of the allocation state (not a test: it prints numbers). Run with
// `npm run bench -w @purelb/ipam-core`. Uses the benchmarking range 198.18.0.0/15 and 2001:db8::/64.
import { createIpam, validateServiceGroups } from '../src/index.ts';
import type { ExistingAllocation, Ipam } from '../src/index.ts';

const groupsV4 = (pool: string, subnet: string) =>
  validateServiceGroups([{ name: 'default', createdAt: 0, spec: { local: { v4pools: [{ pool, subnet }] } } }]);
const groupsV6 = (pool: string, subnet: string) =>
  validateServiceGroups([{ name: 'default', createdAt: 0, spec: { local: { v6pools: [{ pool, subnet }] } } }]);

const V4_16 = groupsV4('198.18.0.0/16', '198.18.0.0/15');
const V6_64 = groupsV6('2001:db8::/64', '2001:db8::/64');
const SINGLE_V4 = { ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' } as const;
const SINGLE_V6 = { ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' } as const;

/** Deterministic xorshift32 in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function mustAllocate(ipam: Ipam, key: string, v6: boolean): void {
  const r = ipam.allocate({ key, ...(v6 ? SINGLE_V6 : SINGLE_V4) });
  if (!r.ok) throw new Error(`${key}: ${r.error.message}`);
}

/** Allocations per second when filling `count` addresses into an empty state. */
function fillRate(groups: typeof V4_16, count: number, v6: boolean, rounds: number): number {
  const keys = Array.from({ length: count }, (_, i) => `ns/svc-${i}`);
  const rates: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const ipam = createIpam(groups);
    const t0 = performance.now();
    for (const key of keys) mustAllocate(ipam, key, v6);
    if (r >= 2) rates.push(count / ((performance.now() - t0) / 1000)); // two warm-up rounds
  }
  return median(rates);
}

/**
 * Nanoseconds per allocation with the pool at `fill` (0..1) and its free space scattered: the pool is
 * filled, a random subset is released, then a batch is allocated into the holes (timed) and
 * released again, repeatedly.
 */
function costAtFill(groups: typeof V4_16, size: number, fill: number, v6: boolean): number {
  const ipam = createIpam(groups);
  for (let i = 0; i < size; i++) mustAllocate(ipam, `held-${i}`, v6);
  const free = Math.round(size * (1 - fill));
  const random = prng(42);
  for (const i of shuffle(Array.from({ length: size }, (_, i) => i), random).slice(0, free)) ipam.release(`held-${i}`);
  const batch = Math.min(512, free);
  const keys = Array.from({ length: batch }, (_, i) => `batch-${i}`);
  const costs: number[] = [];
  for (let round = 0; round < 60; round++) {
    const t0 = performance.now();
    for (const key of keys) mustAllocate(ipam, key, v6);
    costs.push(((performance.now() - t0) * 1e6) / batch);
    for (const key of keys) ipam.release(key);
  }
  return median(costs);
}

/** Release + reallocate pairs per second at 50 % fill of a /16. */
function churnRate(): number {
  const size = 65_536;
  const ipam = createIpam(V4_16);
  const live: string[] = [];
  for (let i = 0; i < size / 2; i++) {
    mustAllocate(ipam, `c-${i}`, false);
    live.push(`c-${i}`);
  }
  const random = prng(7);
  const ops = 200_000;
  let next = size / 2;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) {
    const j = Math.floor(random() * live.length);
    ipam.release(live[j]!);
    const key = `c-${next++}`;
    mustAllocate(ipam, key, false);
    live[j] = key;
  }
  return ops / ((performance.now() - t0) / 1000);
}

/** Milliseconds to import 100,000 existing allocations (random order, 1 in 10 shared pairs). */
function importMs(): number {
  const count = 100_000;
  const random = prng(99);
  const offsets = shuffle(Array.from({ length: 131_072 }, (_, i) => i), random).slice(0, count);
  const existing: ExistingAllocation[] = offsets.map((o, i) => ({
    key: `ns/imported-${i}`,
    group: 'default',
    addresses: [`198.${18 + (o >> 16)}.${(o >> 8) & 255}.${o & 255}`],
    ...(i % 10 === 0 ? { sharingKey: `share-${i}`, ports: [{ protocol: 'TCP' as const, port: 80 }] } : {}),
  }));
  const groups = groupsV4('198.18.0.0/15', '198.18.0.0/15');
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const ipam = createIpam(groups);
    const t0 = performance.now();
    const report = ipam.importAllocations(existing);
    times.push(performance.now() - t0);
    if (report.imported !== count || report.issues.length !== 0) throw new Error('import lost allocations');
  }
  return median(times);
}

const allocPerSecV4 = fillRate(V4_16, 65_536, false, 7);
console.log(`IPv4 /16 fill: ${fmt(allocPerSecV4)} allocations/s`);
const allocPerSecV6 = fillRate(V6_64, 65_536, true, 7);
console.log(`IPv6 /64, 65,536 allocations: ${fmt(allocPerSecV6)} allocations/s`);

const v4Costs = [0, 0.5, 0.99].map((f) => costAtFill(V4_16, 65_536, f, false));
console.log(`IPv4 /16 per allocation: 0 % ${fmt(v4Costs[0]!)} ns, 50 % ${fmt(v4Costs[1]!)} ns, 99 % ${fmt(v4Costs[2]!)} ns`);
const v6Costs = [0, 0.5, 0.99].map((f) => costAtFill(V6_64, 65_536, f, true));
console.log(
  `IPv6 /64 per allocation (65,536 addresses held then released to the level): 0 % ${fmt(v6Costs[0]!)} ns, 50 % ${fmt(v6Costs[1]!)} ns, 99 % ${fmt(v6Costs[2]!)} ns`,
);
const churn = churnRate();
console.log(`IPv4 /16 at 50 %: ${fmt(churn)} release+reallocate pairs/s`);
const imported = importMs();
console.log(`import of 100,000 allocations: ${fmt(imported, 1)} ms`);

const fill99OverFill0V4 = v4Costs[2]! / v4Costs[0]!;
console.log(
  JSON.stringify({
    allocPerSecV4: Math.round(allocPerSecV4),
    allocPerSecV6: Math.round(allocPerSecV6),
    fill99OverFill0V4: Math.round(fill99OverFill0V4 * 100) / 100,
    import100kMs: Math.round(imported * 10) / 10,
  }),
);
