// Allocator memory against a real API server: resident set size idle (no Service), then with 5,000
// dual-stack LoadBalancer Services allocated (`allocateLoadBalancerNodePorts: false`, 16 creates in
// flight). Runs the built allocator (`dist/main.js` on the built libraries) with the Node options of the
// image's ENTRYPOINT, as the image does, unless `--source` / `--no-image-flags` / `--node-arg=…` say
// otherwise; `--services=N` for another count; `--heap-snapshot` keeps one of the allocator at the
// end. Prints readable numbers, then one JSON line:
//   {"idleRssMb":…,"rss5kServicesMb":…,"bytesPerService":…}
// MB = 1,000,000 bytes. Budget (docs/spec.md §8): idle ≤ 100 MB; each further 1,000 Services ≤ 8 MB.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_SERVICE_GROUP } from '@purelb/ipam-core';
import {
  createKubeClient,
  measureDaemon,
  memoryBenchResult,
  startControlPlane,
  startMemoryBench,
  statusMessage,
  waitUntil,
  writeHeapSnapshot,
} from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { startAllocatorProcess } from '../src/testing/index.ts';
import type { AllocatorProcess } from '../src/testing/index.ts';
import { benchService, forEachLimited } from './bench-services.ts';
import { startIngressWatcher } from './ingress-watcher.ts';

const builtMain = join(import.meta.dirname, '..', 'dist', 'main.js');
const {
  options: args,
  work,
  nodeArgs,
} = startMemoryBench(
  {
    dockerfile: join(import.meta.dirname, '..', '..', '..', 'deploy', 'images', 'allocator.Dockerfile'),
    entry: 'apps/allocator/dist/main.js',
    builtMain,
    command: 'npm run bench:memory -w @purelb/allocator',
  },
  'purelb-bench-memory-',
);
const SERVICES = args.services;
const IN_FLIGHT = 16;
const INSTALL_NS = 'purelb';
const SERVICE_NS = 'bench';
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

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

/** One measurement of the allocator, logged under `label`; its resident set. */
async function measure(label: string, allocator: AllocatorProcess, port: number): Promise<number> {
  const { rss, description } = await measureDaemon(allocator.pid, () =>
    fetch(`http://127.0.0.1:${port}/metrics`).then(
      (r) => r.text(),
      () => '',
    ),
  );
  log(`  ${label}: ${description}`);
  return rss;
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
  const idle = await measure('idle, no Service', allocator, port);

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
  const loaded = await measure(`${SERVICES} Services`, allocator, port);
  if (args.heapSnapshot) log(`  heap snapshot: ${await writeHeapSnapshot(allocator.pid, work)}`);

  const result = memoryBenchResult(idle, loaded, SERVICES);
  log(`  ${result.summary}`);
  console.log(result.line);
} catch (error) {
  log(`benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  log(`allocator log: ${join(work, 'allocator.log')} (kept)`);
  exitCode = 1;
} finally {
  await allocator?.stop();
  rest.close();
  await cp.stop();
  if (exitCode === 0 && !args.heapSnapshot) rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
