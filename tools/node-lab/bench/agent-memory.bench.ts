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
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  measureDaemon,
  memoryBenchResult,
  startControlPlane,
  startMemoryBench,
  waitUntil,
  writeHeapSnapshot,
} from '@purelb/test-control-plane';
import type { LabNode } from '@purelb/test-lab';
import { createAllocatedServices, startAgentLab } from '../src/index.ts';
import type { AgentLab } from '../src/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ENTRY = 'apps/lbnodeagent/dist/main.js';
const builtMain = join(ROOT, ENTRY);
const {
  options: args,
  work,
  nodeArgs,
} = startMemoryBench(
  {
    dockerfile: join(ROOT, 'deploy', 'images', 'lbnodeagent.Dockerfile'),
    entry: ENTRY,
    builtMain,
    command: 'npm run bench:memory -w @purelb/lbnodeagent',
  },
  'purelb-agent-memory-',
);
const SERVICES = args.services;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The i-th Service's addresses: IPv4 virtual (198.18.0.0/15, no node's subnet), IPv6 local (the lab's LAN). */
const v4 = (i: number): string => `198.18.${Math.floor(i / 256)}.${i % 256}`;
const v6 = (i: number): string => `2001:db8:1::2:${i.toString(16)}`;

/** CPU seconds (user + system) of a process, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
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
  const measure = async (label: string): Promise<number> => {
    const { rss, description } = await measureDaemon(pid, () => current.metrics(node));
    log(`  agent on ${node.name}, ${label}: ${description}`);
    return rss;
  };
  const current = lab;
  const idle = await measure('idle, no Service');

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
  const loaded = await measure(`${SERVICES} Services`);

  if (args.heapSnapshot) log(`  heap snapshot: ${await writeHeapSnapshot(pid, work)}`);

  const result = memoryBenchResult(idle, loaded, SERVICES);
  log(`  ${result.summary}`);
  console.log(result.line);
} catch (error) {
  log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  log(`logs: ${work} (kept)`);
  exitCode = 1;
} finally {
  await lab?.close();
  await cp.stop();
  if (exitCode === 0 && !args.heapSnapshot) rmSync(work, { recursive: true, force: true });
}
process.exit(exitCode);
