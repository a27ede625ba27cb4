// Allocator memory against a real API server: resident set size idle (no Service), then with 5,000
// dual-stack LoadBalancer Services allocated (`allocateLoadBalancerNodePorts: false`, 16 creates in
// flight). Runs the built allocator (`dist/main.js` on the built libraries) with the Node options of the
// image's ENTRYPOINT, as the image does, unless `--source` / `--no-image-flags` / `--node-arg=…` say
// otherwise; `--services=N` for another count. Prints readable numbers, then one JSON line:
//   {"idleRssMb":…,"rss5kServicesMb":…,"bytesPerService":…}
// MB = 1,000,000 bytes. Budget (docs/spec.md §8): idle ≤ 100 MB; each further 1,000 Services ≤ 8 MB.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_SERVICE_GROUP } from '@purelb/ipam-core';
import {
  createKubeClient,
  imageNodeFlags,
  residentBytes,
  sampleResidentSet,
  startControlPlane,
  statusMessage,
  waitUntil,
} from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { startAllocatorProcess } from '../src/testing/index.ts';
import type { AllocatorProcess } from '../src/testing/index.ts';
import { benchService, forEachLimited } from './bench-services.ts';
import { startIngressWatcher } from './ingress-watcher.ts';

const { values: args } = parseArgs({
  options: {
    source: { type: 'boolean', default: false },
    services: { type: 'string', default: '5000' },
    // Node options of the image's ENTRYPOINT (default), or none with --no-image-flags.
    'image-flags': { type: 'boolean', default: true },
    // More options for the allocator's Node, e.g. --node-arg=--max-semi-space-size=8 to measure a V8 flag.
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
  allowNegative: true,
});

const DOCKERFILE = join(import.meta.dirname, '..', '..', '..', 'deploy', 'images', 'allocator.Dockerfile');
const nodeArgs = [
  ...(args['image-flags'] ? imageNodeFlags(DOCKERFILE, 'apps/allocator/dist/main.js') : []),
  ...args['node-arg'],
];
const SERVICES = Number(args.services);
if (!Number.isInteger(SERVICES) || SERVICES < 1) {
  process.stderr.write(`--services must be a whole number of at least 1, got ${args.services}\n`);
  process.exit(2);
}
const IN_FLIGHT = 16;
const INSTALL_NS = 'purelb';
const SERVICE_NS = 'bench';
/** How long the allocator sits still before its resident set is sampled, and how long it is sampled. */
const SETTLE_MS = 10_000;
const SAMPLE_MS = 10_000;
const MB = 1_000_000;

const builtMain = join(import.meta.dirname, '..', 'dist', 'main.js');
if (!args.source && !existsSync(builtMain)) {
  process.stderr.write(
    `no ${builtMain}: build first (npm run bench:memory -w @purelb/allocator does), or pass --source\n`,
  );
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'purelb-bench-memory-'));
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function create(rest: KubeClient, path: string, body: unknown): Promise<void> {
  const res = await rest.post(path, body);
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`POST ${path}: ${res.status} ${statusMessage(res.body)}`);
}

/** A gauge or counter of the allocator's /metrics, summed over its label sets. */
async function metric(port: number, name: string): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Waits until the allocator has reconciled nothing for 3 s (trailing Events and group status written). */
async function quiet(port: number): Promise<void> {
  let last = -1;
  let since = Date.now();
  await waitUntil(
    async () => {
      const count = await metric(port, 'purelb_allocator_reconcile_duration_seconds_count');
      if (count !== last) {
        last = count;
        since = Date.now();
      }
      return Date.now() - since >= 3_000
        ? { kind: 'done', value: undefined }
        : { kind: 'pending', reason: `${count} reconciles so far` };
    },
    { what: 'the allocator to go quiet', timeoutMs: 300_000, intervalMs: 500 },
  );
}

/** Where the memory is, from the allocator's own process metrics: V8 heap (used / committed, young generation) and outside it. */
async function breakdown(port: number): Promise<string> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const value = (line: string): number => Number(line.slice(line.lastIndexOf(' ') + 1));
  const find = (prefix: string): number => value(text.split('\n').find((l) => l.startsWith(prefix)) ?? ' NaN');
  const used = find('nodejs_heap_size_used_bytes ');
  const total = find('nodejs_heap_size_total_bytes ');
  const external = find('nodejs_external_memory_bytes ');
  const young = find('nodejs_heap_space_size_total_bytes{space="new"}');
  const old = find('nodejs_heap_space_size_used_bytes{space="old"}');
  return `V8 heap used ${mb(used)} of ${mb(total)} committed (young generation ${mb(young)}, old space used ${mb(old)}), external ${mb(external)}`;
}

async function report(label: string, allocator: AllocatorProcess, port: number): Promise<number> {
  await sleep(SETTLE_MS);
  const rss = await sampleResidentSet(allocator.pid, { durationMs: SAMPLE_MS });
  const peak = residentBytes(allocator.pid, 'VmHWM');
  log(
    `  ${label}: RSS ${mb(rss.median)} (median; ${mb(rss.min)} – ${mb(rss.max)}; peak so far ${mb(peak)}); ${await breakdown(port)}`,
  );
  return rss.median;
}

log(
  `starting the control plane… (allocator: ${args.source ? 'TypeScript sources' : 'built dist/main.js'} ${nodeArgs.join(' ')})`,
);
const cp = await startControlPlane();
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(cp.kubeconfigPath);
const rest = await createKubeClient(kubeConfig, { maxSockets: IN_FLIGHT * 2 });
let allocator: AllocatorProcess | undefined;
let exitCode = 0;
try {
  await create(rest, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SERVICE_NS } });
  await create(rest, `/apis/purelb.io/v1/namespaces/${INSTALL_NS}/servicegroups`, {
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name: DEFAULT_SERVICE_GROUP, namespace: INSTALL_NS },
    spec: {
      local: {
        v4pools: [{ pool: '198.18.0.0/15', subnet: '198.18.0.0/15', aggregation: 'default' }],
        v6pools: [{ pool: '2001:db8:1::/64', subnet: '2001:db8:1::/64', aggregation: 'default' }],
      },
    },
  });
  allocator = startAllocatorProcess({
    kubeconfigPath: cp.kubeconfigPath,
    namespace: INSTALL_NS,
    logFile: join(work, 'allocator.log'),
    ...(args.source ? {} : { mainPath: builtMain, sourceCondition: false }),
    nodeArgs,
  });
  const port = await allocator.port(30_000);
  await allocator.waitForLog((l) => l.event === 'allocating', 60_000);
  const idle = await report('idle, no Service', allocator, port);

  log(`creating ${SERVICES} dual-stack Services, ${IN_FLIGHT} in flight…`);
  const watcher = startIngressWatcher(kubeConfig, rest, SERVICE_NS);
  const names = Array.from({ length: SERVICES }, (_, i) => `svc-${String(i).padStart(5, '0')}`);
  const cpu0 = await metric(port, 'process_cpu_seconds_total');
  const t0 = Date.now();
  await forEachLimited(names, IN_FLIGHT, (name) =>
    create(rest, `/api/v1/namespaces/${SERVICE_NS}/services`, benchService(SERVICE_NS, name, { dualStack: true })),
  );
  await watcher.waitFor(names, 600_000);
  watcher.stop();
  const singleFamily = names.filter((n) => (watcher.seen.get(n)?.addresses.length ?? 0) !== 2);
  log(
    `  all ${SERVICES} with ingress after ${((Date.now() - t0) / 1000).toFixed(1)} s; ${singleFamily.length} without both families`,
  );
  if (singleFamily.length > 0) exitCode = 1;
  await quiet(port);
  log(`  allocator CPU for the burst: ${((await metric(port, 'process_cpu_seconds_total')) - cpu0).toFixed(1)} s`);
  const loaded = await report(`${SERVICES} Services`, allocator, port);

  const perService = (loaded - idle) / SERVICES;
  log(
    `  ${Math.round(perService)} bytes per Service, ${mb(perService * 1000)} per 1,000 Services (budget: idle ≤ 100 MB, ≤ 8 MB per 1,000)`,
  );
  console.log(
    JSON.stringify({
      idleRssMb: Math.round((idle / MB) * 10) / 10,
      rss5kServicesMb: Math.round((loaded / MB) * 10) / 10,
      bytesPerService: Math.round(perService),
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
