// Benchmarks of the allocation state (not a test: it prints numbers). Run with
// `npm run bench -w @purelb/ipam-core`. Uses the benchmarking range 198.18.0.0/15 and 2001:db8::/64.
// Each figure is measured over several rounds; the best round is reported (it is the one least
// disturbed by other processes on a shared machine) next to the median.
import { loadavg } from 'node:os';
import { createIpam, DEFAULT_SERVICE_GROUP, validateServiceGroups } from '../src/index.ts';
import type { ExistingAllocation, GroupCheck, Ipam, IpFamily } from '../src/index.ts';

const single = (family: 'IPv4' | 'IPv6', pool: string, subnet: string): readonly GroupCheck[] =>
  validateServiceGroups([
    {
      name: DEFAULT_SERVICE_GROUP,
      createdAt: 0,
      spec: { local: { [family === 'IPv4' ? 'v4pools' : 'v6pools']: [{ pool, subnet }] } },
    },
  ]);

const V4_16 = single('IPv4', '198.18.0.0/16', '198.18.0.0/15');
const V6_64 = single('IPv6', '2001:db8::/64', '2001:db8::/64');
const V4: readonly IpFamily[] = ['IPv4'];
const V6: readonly IpFamily[] = ['IPv6'];

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

interface Sample {
  readonly best: number;
  readonly median: number;
}

/** Best (lowest) and median of the samples, lower is better. */
function summarise(xs: readonly number[]): Sample {
  const sorted = [...xs].sort((a, b) => a - b);
  return { best: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]! };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });

function mustAllocate(ipam: Ipam, key: string, v6: boolean): void {
  const r = ipam.allocate({ key, ipFamilies: v6 ? V6 : V4, ipFamilyPolicy: 'SingleStack' });
  if (!r.ok) throw new Error(`${key}: ${r.error.message}`);
}

/** The groups to allocate from, and whether the services ask for IPv6 (else IPv4). */
interface Space {
  readonly groups: readonly GroupCheck[];
  readonly v6: boolean;
}

/** Seconds per allocation when filling `count` addresses into an empty state (two warm-up rounds). */
function fill({ groups, v6 }: Space, count: number, rounds: number): Sample {
  const keys = Array.from({ length: count }, (_, i) => `ns/svc-${i}`);
  const times: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const ipam = createIpam(groups);
    const t0 = performance.now();
    for (const key of keys) mustAllocate(ipam, key, v6);
    if (r >= 2) times.push((performance.now() - t0) / 1000 / count);
  }
  return summarise(times);
}

/**
 * Nanoseconds per allocation with the pool at `level` (0..1) and its free space scattered: the
 * pool is filled, a random subset released, then batches are allocated into the holes (timed) and
 * released again.
 */
function costAtFill({ groups, v6 }: Space, size: number, level: number): Sample {
  const ipam = createIpam(groups);
  for (let i = 0; i < size; i++) mustAllocate(ipam, `held-${i}`, v6);
  const free = Math.round(size * (1 - level));
  for (const i of shuffle(
    Array.from({ length: size }, (_, i) => i),
    prng(42),
  ).slice(0, free))
    ipam.release(`held-${i}`);
  const batch = Math.min(512, free);
  const keys = Array.from({ length: batch }, (_, i) => `batch-${i}`);
  const costs: number[] = [];
  for (let round = 0; round < 200; round++) {
    const t0 = performance.now();
    for (const key of keys) mustAllocate(ipam, key, v6);
    if (round >= 20) costs.push(((performance.now() - t0) * 1e6) / batch);
    for (const key of keys) ipam.release(key);
  }
  return summarise(costs);
}

/** Nanoseconds per release + reallocate pair at 50 % fill of a /16. */
function churn(): Sample {
  const size = 65_536;
  const ipam = createIpam(V4_16);
  const live: string[] = [];
  for (let i = 0; i < size / 2; i++) {
    mustAllocate(ipam, `c-${i}`, false);
    live.push(`c-${i}`);
  }
  const random = prng(7);
  let next = size / 2;
  const costs: number[] = [];
  for (let round = 0; round < 40; round++) {
    const ops = 5_000;
    const t0 = performance.now();
    for (let i = 0; i < ops; i++) {
      const j = Math.floor(random() * live.length);
      ipam.release(live[j]!);
      const key = `c-${next++}`;
      mustAllocate(ipam, key, false);
      live[j] = key;
    }
    costs.push(((performance.now() - t0) * 1e6) / ops);
  }
  return summarise(costs);
}

/** Milliseconds to import 100,000 existing allocations (random order, one in ten with a sharing key). */
function importMs(): Sample {
  const count = 100_000;
  const offsets = shuffle(
    Array.from({ length: 131_072 }, (_, i) => i),
    prng(99),
  ).slice(0, count);
  const existing: ExistingAllocation[] = offsets.map((o, i) => ({
    key: `ns/imported-${i}`,
    group: DEFAULT_SERVICE_GROUP,
    addresses: [`198.${18 + (o >> 16)}.${(o >> 8) & 255}.${o & 255}`],
    ...(i % 10 === 0 ? { sharingKey: `share-${i}`, ports: [{ protocol: 'TCP' as const, port: 80 }] } : {}),
  }));
  const groups = single('IPv4', '198.18.0.0/15', '198.18.0.0/15');
  const times: number[] = [];
  for (let r = 0; r < 7; r++) {
    const ipam = createIpam(groups);
    const t0 = performance.now();
    const report = ipam.importAllocations(existing);
    times.push(performance.now() - t0);
    if (report.imported !== count || report.issues.length !== 0) throw new Error('import lost allocations');
  }
  return summarise(times);
}

const perSec = (s: number): number => 1 / s;
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (best round / median round)`,
);
const v4Fill = fill({ groups: V4_16, v6: false }, 65_536, 9);
console.log(`IPv4 /16, filling 65,536: ${fmt(perSec(v4Fill.best))} / ${fmt(perSec(v4Fill.median))} allocations/s`);
const v6Fill = fill({ groups: V6_64, v6: true }, 65_536, 9);
console.log(`IPv6 /64, 65,536 allocations: ${fmt(perSec(v6Fill.best))} / ${fmt(perSec(v6Fill.median))} allocations/s`);

const levels = [0, 0.5, 0.99];
const v4Costs = levels.map((l) => costAtFill({ groups: V4_16, v6: false }, 65_536, l));
const v6Costs = levels.map((l) => costAtFill({ groups: V6_64, v6: true }, 65_536, l));
for (const [name, costs] of [
  ['IPv4 /16', v4Costs],
  ['IPv6 /64 (65,536 held, then released down to the level)', v6Costs],
] as const) {
  const parts = costs.map((c, i) => `${levels[i]! * 100} % ${fmt(c.best)} / ${fmt(c.median)} ns`);
  console.log(`${name} per allocation: ${parts.join(', ')}`);
}
const churned = churn();
console.log(`IPv4 /16 at 50 %, release + reallocate: ${fmt(churned.best)} / ${fmt(churned.median)} ns per pair`);
const imported = importMs();
console.log(`import of 100,000 allocations: ${fmt(imported.best, 1)} / ${fmt(imported.median, 1)} ms`);
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

console.log(
  JSON.stringify({
    allocPerSecV4: Math.round(perSec(v4Fill.best)),
    allocPerSecV6: Math.round(perSec(v6Fill.best)),
    fill99OverFill0V4: Math.round((v4Costs[2]!.best / v4Costs[0]!.best) * 100) / 100,
    import100kMs: Math.round(imported.best * 10) / 10,
  }),
);
