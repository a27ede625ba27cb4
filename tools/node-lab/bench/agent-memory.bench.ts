// Node agent memory against a real API server and the real kernel (run as root): three nodes of the
// lab, each with its agent; one agent's resident set idle, then with 5,000 dual-stack Services of
// our class written as the allocator leaves them, each with an EndpointSlice of one ready endpoint
// per node. The IPv6 address of a Service is local (elected among the three nodes), the IPv4 one is
// outside every node subnet and so virtual (on the virtual interface of every node): the measured
// agent holds all 5,000 IPv4 addresses and about a third of the IPv6 ones. The allocator is stopped
// first (the lab's pools are small); the agents run as built with the Node options of the image's
// ENTRYPOINT, unless `--source` / `--no-image-flags` / `--node-arg=…` say otherwise; `--services=N`
// for another count; `--heap-snapshot` keeps one of the measured agent at the end. Prints readable numbers, then one JSON line:
//   {"idleRssMb":…,"rss5kServicesMb":…,"bytesPerService":…}
// MB = 1,000,000 bytes. Budget (docs/spec.md §8): idle ≤ 100 MB; each further 1,000 Services ≤ 8 MB.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import {
  imageNodeFlags,
  residentBytes,
  sampleResidentSet,
  startControlPlane,
  waitUntil,
} from '@purelb/test-control-plane';
import type { LabNode } from '@purelb/test-lab';
import { createAllocatedServices, startAgentLab } from '../src/index.ts';
import type { AgentLab } from '../src/index.ts';

const { values: args } = parseArgs({
  options: {
    source: { type: 'boolean', default: false },
    services: { type: 'string', default: '5000' },
    // Node options of the image's ENTRYPOINT (default), or none with --no-image-flags.
    'image-flags': { type: 'boolean', default: true },
    // More options for the agents' Node, e.g. --node-arg=--max-semi-space-size=8 to measure a V8 flag.
    'node-arg': { type: 'string', multiple: true, default: [] },
    // Write a heap snapshot of the measured agent at the end (kept in the work directory).
    'heap-snapshot': { type: 'boolean', default: false },
  },
  allowNegative: true,
});

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRY = 'apps/lbnodeagent/dist/main.js';
const builtMain = join(ROOT, ENTRY);
const work = mkdtempSync(join(tmpdir(), 'purelb-agent-memory-'));
const nodeArgs = [
  ...(args['image-flags'] ? imageNodeFlags(join(ROOT, 'deploy', 'images', 'lbnodeagent.Dockerfile'), ENTRY) : []),
  ...args['node-arg'],
  ...(args['heap-snapshot'] ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${work}`] : []),
];
const SERVICES = Number(args.services);
if (!Number.isInteger(SERVICES) || SERVICES < 1 || SERVICES > 65_000) {
  process.stderr.write(`--services must be a whole number from 1 to 65000, got ${args.services}\n`);
  process.exit(2);
}
if (!args.source && !existsSync(builtMain)) {
  process.stderr.write(
    `no ${builtMain}: build first (npm run bench:memory -w @purelb/lbnodeagent does), or pass --source\n`,
  );
  process.exit(2);
}
/** How long the agent sits still before its resident set is sampled, and how long it is sampled. */
const SETTLE_MS = 10_000;
const SAMPLE_MS = 10_000;
const MB = 1_000_000;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/** The i-th Service's addresses: IPv4 virtual (198.18.0.0/15, no node's subnet), IPv6 local (the lab's LAN). */
const v4 = (i: number): string => `198.18.${Math.floor(i / 256)}.${i % 256}`;
const v6 = (i: number): string => `2001:db8:1::2:${i.toString(16)}`;

/** CPU seconds (user + system) of a process, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Where the memory is, from the agent's own process metrics: V8 heap (used / committed, young generation) and outside it. */
async function breakdown(lab: AgentLab, node: LabNode): Promise<string> {
  const lines = (await lab.metrics(node)).split('\n');
  const find = (prefix: string): number => {
    const line = lines.find((l) => l.startsWith(prefix)) ?? ' NaN';
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  const spaces = lines
    .filter((l) => l.startsWith('nodejs_heap_space_size_total_bytes{'))
    .map((l) => {
      const space = /space="([^"]+)"/.exec(l)?.[1] ?? '?';
      const used = find(`nodejs_heap_space_size_used_bytes{space="${space}"}`);
      return `${space} ${mb(used)}/${mb(Number(l.slice(l.lastIndexOf(' ') + 1)))}`;
    })
    .join(', ');
  return `V8 heap used ${mb(find('nodejs_heap_size_used_bytes '))} of ${mb(find('nodejs_heap_size_total_bytes '))} committed (used/committed: ${spaces}), external ${mb(find('nodejs_external_memory_bytes '))}`;
}

/** Resident memory by kind, from /proc/<pid>/smaps_rollup: anonymous (heaps, malloc) and file-backed (the binary). */
function residentKinds(pid: number): string {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const anonymous = kb('Anonymous') * 1024;
  return `anonymous ${mb(anonymous)}, file-backed ${mb(kb('Rss') * 1024 - anonymous)}`;
}

async function report(label: string, at: { lab: AgentLab; node: LabNode; pid: number }): Promise<number> {
  const { lab, node, pid } = at;
  await sleep(SETTLE_MS);
  const rss = await sampleResidentSet(pid, { durationMs: SAMPLE_MS });
  log(
    `  ${label}: RSS ${mb(rss.median)} (median; ${mb(rss.min)} – ${mb(rss.max)}; peak so far ${mb(residentBytes(pid, 'VmHWM'))}; ${residentKinds(pid)}); ${await breakdown(lab, node)}`,
  );
  return rss.median;
}

/** Signals the agent to write a heap snapshot and waits until the file is complete; its path. */
async function heapSnapshot(pid: number): Promise<string> {
  process.kill(pid, 'SIGUSR2');
  let last = -1;
  return waitUntil(
    () => {
      const file = readdirSync(work).find((f) => f.endsWith('.heapsnapshot'));
      const size = file === undefined ? -1 : statSync(join(work, file)).size;
      const done = file !== undefined && size > 0 && size === last;
      last = size;
      return done ? { kind: 'done', value: join(work, file) } : { kind: 'pending', reason: `${size} bytes written` };
    },
    { what: 'the heap snapshot', timeoutMs: 120_000, intervalMs: 1000 },
  );
}

/** How many addresses with `prefix` the node has, on any interface. */
async function addressCount(lab: AgentLab, node: LabNode, prefix: string): Promise<number> {
  const res = await lab.lab.exec(node, ['ip', '-o', 'addr', 'show']);
  return res.stdout.split('\n').filter((l) => l.includes(` ${prefix}`)).length;
}

log(
  `starting the control plane… (agents: ${args.source ? 'TypeScript sources' : `built ${ENTRY}`} ${nodeArgs.join(' ')})`,
);
const cp = await startControlPlane();
let lab: AgentLab | undefined;
let exitCode = 0;
try {
  log('building a lab of three nodes with an agent each…');
  lab = await startAgentLab({
    kubeconfigPath: cp.kubeconfigPath,
    nodes: 3,
    logDir: work,
    logLevel: 'info',
    agentProcess: args.source ? { nodeArgs } : { mainPath: builtMain, sourceCondition: false, nodeArgs },
  });
  await lab.allocator.stop();
  const nodes = lab.lab.nodes;
  const node = nodes[1] as LabNode;
  const pid = lab.agents.get(node.name)?.child.pid;
  if (pid === undefined) throw new Error(`no agent process on ${node.name}`);
  const idle = await report(`agent on ${node.name}, idle, no Service`, { lab, node, pid });

  log(`creating ${SERVICES} dual-stack Services with an EndpointSlice each, 16 in flight…`);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await createAllocatedServices(
    lab,
    Array.from({ length: SERVICES }, (_, i) => ({
      name: `svc-${String(i).padStart(5, '0')}`,
      addresses: [v4(i), v6(i)],
      endpointsOn: nodes.map((n) => n.name),
    })),
  );
  log(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const current = lab;
  await waitUntil(
    async () => {
      const virtual = await addressCount(current, node, '198.18.');
      const counts = await Promise.all(nodes.map((n) => addressCount(current, n, '2001:db8:1::2:')));
      const local = counts.reduce((a, b) => a + b, 0);
      return virtual >= SERVICES && local >= SERVICES
        ? { kind: 'done', value: undefined }
        : { kind: 'pending', reason: `${virtual} IPv4 addresses on ${node.name}, ${local} IPv6 ones on the nodes` };
    },
    { what: 'every address on its nodes', timeoutMs: 600_000, intervalMs: 1000 },
  );
  const held = await addressCount(current, node, '2001:db8:1::2:');
  log(
    `  every address on its nodes ${((performance.now() - t0) / 1000).toFixed(1)} s after the first write; ${node.name} holds ${SERVICES} IPv4 and ${held} IPv6 addresses; agent CPU so far ${(cpuSeconds(pid) - cpu0).toFixed(1)} s`,
  );
  const loaded = await report(`agent on ${node.name}, ${SERVICES} Services`, { lab, node, pid });

  if (args['heap-snapshot']) log(`  heap snapshot: ${await heapSnapshot(pid)}`);

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
  log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  log(`logs: ${work} (kept)`);
  exitCode = 1;
} finally {
  await lab?.close();
  await cp.stop();
  if (exitCode === 0 && !args['heap-snapshot']) rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
