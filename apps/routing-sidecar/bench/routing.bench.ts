// Routed virtual addresses, end to end in the BGP lab: a real API server, the allocator, three node
// agents and routing sidecars (BIRD), a BIRD router. Per round, from the API call to the router's
// kernel table (`ip -json route` in the router namespace, polled):
//   createToRouteMs        Service (ETP Cluster) created → a route with a next hop per node
//   endpointMoveToRouteMs  the only endpoint (ETP Local) moved to another node → the route points there only
//   withdrawToGoneMs       Service deleted → the route is gone
// Prints readable numbers, then exactly one JSON line (medians; the maxima under "max").
// BGP timers are the lab's (`LAB_TIMERS`); they do not enter these paths: BIRD sends an update as
// soon as the node's interface changes, and the router writes it to its kernel at once.
import { startControlPlane } from '@purelb/test-control-plane';
import type { LabNode } from '@purelb/test-lab';
import { startRoutingLab } from '../src/testing/routing-lab.ts';
import type { RoutingLab } from '../src/testing/routing-lab.ts';

const ROUNDS = Number(process.env['ROUNDS'] ?? 7);
const TIMEOUT_MS = 20_000;

async function until(lab: RoutingLab, dst: string, match: (via: readonly string[]) => boolean): Promise<void> {
  const deadline = performance.now() + TIMEOUT_MS;
  for (;;) {
    if (match((await lab.routeTo(dst))?.via ?? [])) return;
    if (performance.now() > deadline) throw new Error(`no match for the route to ${dst} within ${TIMEOUT_MS} ms`);
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const round1 = (x: number): number => Math.round(x * 10) / 10;
const exactly =
  (...nodes: LabNode[]) =>
  (via: readonly string[]): boolean =>
    via.join() ===
    nodes
      .map((n) => n.ipv4)
      .sort()
      .join();

const cp = await startControlPlane();
let lab: RoutingLab | undefined;
let exitCode = 0;
try {
  lab = await startRoutingLab({ kubeconfigPath: cp.kubeconfigPath, nodes: 3 });
  const nodes = [...lab.lab.nodes] as [LabNode, LabNode, LabNode];
  const create: number[] = [];
  const move: number[] = [];
  const withdraw: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t0 = performance.now();
    const [address = ''] = await lab.createService(`bench-${i}`, { group: 'host' });
    await until(lab, `${address}/32`, exactly(...nodes));
    create.push(performance.now() - t0);

    const [local = ''] = await lab.createService(`bench-local-${i}`, { group: 'host', trafficPolicy: 'Local' });
    await lab.setEndpoints(`bench-local-${i}`, [nodes[0]]);
    await until(lab, `${local}/32`, exactly(nodes[0]));
    t0 = performance.now();
    await lab.setEndpoints(`bench-local-${i}`, [nodes[1]]);
    await until(lab, `${local}/32`, exactly(nodes[1]));
    move.push(performance.now() - t0);

    t0 = performance.now();
    await lab.deleteService(`bench-${i}`);
    await until(lab, `${address}/32`, (via) => via.length === 0);
    withdraw.push(performance.now() - t0);
    await lab.deleteService(`bench-local-${i}`);
    await until(lab, `${local}/32`, (via) => via.length === 0);
  }
  console.log(`rounds: ${ROUNDS}, 3 nodes, ETP Cluster (ECMP over 3 next hops) and ETP Local (1 next hop)`);
  console.log(
    `create → route at the router:        median ${round1(median(create))} ms, max ${round1(Math.max(...create))} ms`,
  );
  console.log(
    `endpoint moved → route moved:        median ${round1(median(move))} ms, max ${round1(Math.max(...move))} ms`,
  );
  console.log(
    `Service deleted → route gone:        median ${round1(median(withdraw))} ms, max ${round1(Math.max(...withdraw))} ms`,
  );
  console.log(
    JSON.stringify({
      createToRouteMs: round1(median(create)),
      endpointMoveToRouteMs: round1(median(move)),
      withdrawToGoneMs: round1(median(withdraw)),
      rounds: ROUNDS,
      max: {
        createToRouteMs: round1(Math.max(...create)),
        endpointMoveToRouteMs: round1(Math.max(...move)),
        withdrawToGoneMs: round1(Math.max(...withdraw)),
      },
    }),
  );
} catch (err: unknown) {
  console.error(err);
  exitCode = 1;
} finally {
  await lab?.close();
  await cp.stop();
}
process.exit(exitCode);
