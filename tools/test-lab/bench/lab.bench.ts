// Lab benchmark: how long a lab takes to build and to destroy, for 3 and for 20 nodes, and how long
// a request takes through the API server relay compared with a direct one (a TCP echo on loopback
// stands in for the API server). Needs root. Prints readable numbers, then exactly one JSON line:
//   {"create3Ms":…,"destroy3Ms":…,"create3WithRelayMs":…,"create20Ms":…,"destroy20Ms":…,"relayRoundTripP50Us":…,"directRoundTripP50Us":…}
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createLab } from '../src/index.ts';

const ROUNDS = 3;
const ROUND_TRIPS = 2000;
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function timeLab(nodes: number): Promise<{ createMs: number; destroyMs: number }> {
  const creates: number[] = [];
  const destroys: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const lab = await createLab({ nodes });
    const t1 = performance.now();
    await lab.destroy();
    creates.push(t1 - t0);
    destroys.push(performance.now() - t1);
  }
  return { createMs: Math.round(median(creates)), destroyMs: Math.round(median(destroys)) };
}

const PINGER = join(import.meta.dirname, 'round-trips.ts');

const echo = createServer((socket) => socket.pipe(socket));
await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
const port = (echo.address() as { port: number }).port;

const small = await timeLab(3);
log(`3 nodes: create ${small.createMs} ms, destroy ${small.destroyMs} ms (median of ${ROUNDS})`);
const large = await timeLab(20);
log(`20 nodes: create ${large.createMs} ms, destroy ${large.destroyMs} ms (median of ${ROUNDS})`);

const t0 = performance.now();
const lab = await createLab({ nodes: 3, apiServer: { host: '127.0.0.1', port } });
const createWithRelayMs = Math.round(performance.now() - t0);
log(`3 nodes with the API server relay: create ${createWithRelayMs} ms`);
const node = lab.nodes[0];
if (node === undefined) throw new Error('a lab without nodes');
const through = await lab.exec(node, [process.execPath, PINGER, String(port), String(ROUND_TRIPS)]);
await lab.destroy();
// Asynchronously: the echo server lives in this process.
const direct = await promisify(execFile)(process.execPath, [PINGER, String(port), String(ROUND_TRIPS)], {
  encoding: 'utf8',
});
echo.close();
const relayUs = Number(through.stdout.trim());
const directUs = Number(direct.stdout.trim());
log(`one-byte round trip, p50: ${relayUs} µs through the relay, ${directUs} µs direct (${ROUND_TRIPS} each)`);
console.log(
  JSON.stringify({
    create3Ms: small.createMs,
    destroy3Ms: small.destroyMs,
    create3WithRelayMs: createWithRelayMs,
    create20Ms: large.createMs,
    destroy20Ms: large.destroyMs,
    relayRoundTripP50Us: relayUs,
    directRoundTripP50Us: directUs,
  }),
);
