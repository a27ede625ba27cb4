// Allocator benchmark against a real API server: a burst of 1,000 Services (16 creates in flight)
// timed until all have ingress, then a steady 20 Services/s for 30 s with create→ingress latency.
// Prints readable numbers, then exactly one JSON line:
//   {"services":1000,"allAllocatedMs":…,"p50Ms":…,"p99Ms":…}
// Targets (docs/spec.md §8): ≤ 10 s for 1,000; p99 ≤ 250 ms at 20 Services/s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_SERVICE_GROUP } from '@purelb/ipam-core';
import { createKubeClient, startControlPlane, statusMessage, waitUntil } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { startAllocatorProcess } from '../src/testing/index.ts';
import type { AllocatorProcess } from '../src/testing/index.ts';
import { benchService, forEachLimited, percentile } from './bench-services.ts';
import { startIngressWatcher } from './ingress-watcher.ts';

const BURST = 1000;
const IN_FLIGHT = 16;
const RATE_PER_S = 20;
const STEADY_S = 30;
const INSTALL_NS = 'purelb';
const SERVICE_NS = 'bench';

const work = mkdtempSync(join(tmpdir(), 'purelb-bench-'));
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const ms = (n: number): string => `${n.toFixed(1)} ms`;

async function create(rest: KubeClient, path: string, body: unknown): Promise<void> {
  const res = await rest.post(path, body);
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`POST ${path}: ${res.status} ${statusMessage(res.body)}`);
}

function waitReady(port: number, timeoutMs: number): Promise<void> {
  return waitUntil(
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`).catch((error: unknown) => ({
        ok: false,
        statusText: String(error),
      }));
      return res.ok ? { kind: 'done', value: undefined } : { kind: 'pending', reason: res.statusText };
    },
    { what: 'the allocator to be ready', timeoutMs },
  );
}

/** Mean reconcile time and count from the allocator's own histogram. */
async function reconcileSummary(port: number): Promise<string> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const total = (name: string): number =>
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  const count = total('purelb_allocator_reconcile_duration_seconds_count');
  const sum = total('purelb_allocator_reconcile_duration_seconds_sum');
  return count === 0 ? 'no reconcile metrics' : `${count} reconciles, mean ${ms((sum / count) * 1000)} each`;
}

log('starting the control plane…');
// A /16 of ClusterIPs: the default range is too small for the run's Services.
const cp = await startControlPlane();
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(cp.kubeconfigPath);
const rest = await createKubeClient(kubeConfig, { maxSockets: IN_FLIGHT * 2 });
let allocator: AllocatorProcess | undefined;
let exitCode = 0;
try {
  await create(rest, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INSTALL_NS } });
  await create(rest, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SERVICE_NS } });
  // RFC 2544's benchmarking range: room for every Service of the run.
  await create(rest, `/apis/purelb.io/v1/namespaces/${INSTALL_NS}/servicegroups`, {
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name: DEFAULT_SERVICE_GROUP, namespace: INSTALL_NS },
    spec: { local: { v4pools: [{ pool: '198.18.0.0/15', subnet: '198.18.0.0/15', aggregation: 'default' }] } },
  });
  allocator = startAllocatorProcess({
    kubeconfigPath: cp.kubeconfigPath,
    namespace: INSTALL_NS,
    logFile: join(work, 'allocator.log'),
  });
  const port = await allocator.port(30_000);
  await waitReady(port, 60_000);
  const watcher = startIngressWatcher(kubeConfig, rest, SERVICE_NS);
  const servicesPath = `/api/v1/namespaces/${SERVICE_NS}/services`;

  // Burst.
  log(`burst: creating ${BURST} Services, ${IN_FLIGHT} in flight…`);
  const burstNames = Array.from({ length: BURST }, (_, i) => `burst-${String(i).padStart(4, '0')}`);
  const t0 = performance.now();
  await forEachLimited(burstNames, IN_FLIGHT, (name) => create(rest, servicesPath, benchService(SERVICE_NS, name)));
  const createdMs = performance.now() - t0;
  await watcher.waitFor(burstNames, 120_000);
  const allAllocatedMs = Math.max(...burstNames.map((n) => watcher.seen.get(n)?.at ?? Number.NaN)) - t0;
  log(`  creates done after ${ms(createdMs)} (${(BURST / (createdMs / 1000)).toFixed(0)}/s)`);
  log(`  all ${BURST} with ingress after ${ms(allAllocatedMs)} (target ≤ 10000 ms)`);

  // Steady rate, after a quiet moment for the burst's trailing writes (Events, group status).
  await new Promise((r) => setTimeout(r, 2_000));
  const steadyCount = RATE_PER_S * STEADY_S;
  log(`steady: ${RATE_PER_S} Services/s for ${STEADY_S} s (${steadyCount} Services)…`);
  const startedAt = new Map<string, number>();
  const answeredAt = new Map<string, number>();
  const steadyNames = Array.from({ length: steadyCount }, (_, i) => `steady-${String(i).padStart(4, '0')}`);
  const s0 = performance.now();
  const creates: Promise<void>[] = [];
  for (const [i, name] of steadyNames.entries()) {
    const due = s0 + (i * 1000) / RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    startedAt.set(name, performance.now());
    creates.push(
      create(rest, servicesPath, benchService(SERVICE_NS, name)).then(() => {
        answeredAt.set(name, performance.now());
      }),
    );
  }
  const offeredRate = steadyCount / ((performance.now() - s0) / 1000);
  await Promise.all(creates);
  await watcher.waitFor(steadyNames, 120_000);
  const sorted = (f: (name: string) => number): number[] => steadyNames.map(f).sort((a, b) => a - b);
  const at = (m: ReadonlyMap<string, number>, n: string): number => m.get(n) ?? Number.NaN;
  const latencies = sorted((n) => (watcher.seen.get(n)?.at ?? Number.NaN) - at(startedAt, n));
  const createLatencies = sorted((n) => at(answeredAt, n) - at(startedAt, n));
  const p50Ms = percentile(latencies, 50);
  const p99Ms = percentile(latencies, 99);
  log(`  offered ${offeredRate.toFixed(1)} Services/s`);
  log(`  create request      p50 ${ms(percentile(createLatencies, 50))}, p99 ${ms(percentile(createLatencies, 99))}`);
  log(
    `  create→ingress      p50 ${ms(p50Ms)}, p90 ${ms(percentile(latencies, 90))}, p99 ${ms(p99Ms)} (target ≤ 250 ms), max ${ms(percentile(latencies, 100))}`,
  );
  log(`  allocator: ${await reconcileSummary(port)}`);

  // Correctness: no address handed out twice.
  const owners = new Map<string, string>();
  let duplicates = 0;
  for (const [name, s] of watcher.seen) {
    for (const a of s.addresses) {
      if (owners.has(a)) duplicates++;
      owners.set(a, name);
    }
  }
  log(`  ${owners.size} distinct addresses, ${duplicates} given twice, ${watcher.restarts()} watch restarts`);
  if (duplicates > 0) exitCode = 1;
  watcher.stop();

  console.log(
    JSON.stringify({
      services: BURST,
      allAllocatedMs: Math.round(allAllocatedMs),
      p50Ms: Math.round(p50Ms * 10) / 10,
      p99Ms: Math.round(p99Ms * 10) / 10,
    }),
  );
} catch (error) {
  log(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  log(`allocator log: ${join(work, 'allocator.log')} (kept)`);
  exitCode = 1;
} finally {
  await allocator?.stop();
  rest.close();
  await cp.stop();
  if (exitCode === 0) rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
