// Benchmarks of the in-process parts (not a test: it prints numbers). Run with
// `npm run bench -w @purelb/k8s-watch`. The API server is not involved: a scripted transport feeds
// the watch loop, and the work queue runs a reconcile that does nothing.
import { performance } from 'node:perf_hooks';
import { createWorkQueue, watchResource } from '../src/index.ts';
import { createFakeClock, createScriptedTransport, flushPromises } from '../src/testing/index.ts';

interface Obj {
  metadata: { name: string; namespace: string; resourceVersion: string };
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const obj = (i: number, rv: number): Obj => ({
  metadata: { name: `svc-${i}`, namespace: 'bench', resourceVersion: String(rv) },
});

async function watchBench(existing: number, burst: number, bursts: number): Promise<void> {
  const transport = createScriptedTransport();
  const clock = createFakeClock();
  const w = watchResource<Obj>({ transport, path: '/api/v1/services', clock });
  let emissions = 0;
  w.updates$.subscribe(() => emissions++);
  const listStart = performance.now();
  transport
    .takeList()
    .respond({ items: Array.from({ length: existing }, (_, i) => obj(i, i + 1)), resourceVersion: String(existing) });
  await flushPromises(2);
  const listMs = performance.now() - listStart;
  const watch = transport.lastWatch();
  let rv = existing;
  const start = performance.now();
  for (let b = 0; b < bursts; b++) {
    for (let e = 0; e < burst; e++) watch.emit({ type: 'MODIFIED', object: obj((b * burst + e) % existing, ++rv) });
    clock.advance(0);
  }
  const ms = performance.now() - start;
  const events = burst * bursts;
  console.log(
    `watch: ${fmt(existing)} objects listed in ${fmt(listMs, 1)} ms; ${fmt(events)} events in bursts of ${fmt(burst)}: ` +
      `${fmt((events / ms) * 1000)} events/s, ${fmt(ms / bursts, 3)} ms per emitted snapshot (${emissions - 1} emissions)`,
  );
  w.stop();
}

async function queueBench(keys: number, concurrency: number): Promise<void> {
  const q = createWorkQueue<string>({ reconcile: () => Promise.resolve({ kind: 'converged' }), concurrency });
  const start = performance.now();
  q.addAll(Array.from({ length: keys }, (_, i) => `ns/svc-${i}`));
  await q.idle();
  const ms = performance.now() - start;
  console.log(`work queue: ${fmt(keys)} keys, concurrency ${concurrency}: ${fmt((keys / ms) * 1000)} reconciles/s`);
  await q.stop();
}

await watchBench(1_000, 1, 5_000);
await watchBench(1_000, 100, 500);
await watchBench(10_000, 1_000, 100);
await watchBench(100_000, 1_000, 20);
await queueBench(100_000, 1);
await queueBench(100_000, 8);
