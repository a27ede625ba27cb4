// node round-trips.ts <port> <count>: one-byte round trips to an echo server on 127.0.0.1:<port>,
// one at a time on one connection; prints the median in microseconds.
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

const port = Number(process.argv[2]);
const count = Number(process.argv[3]);
const socket = connect({ host: '127.0.0.1', port, noDelay: true });
await new Promise<void>((resolve) => socket.once('connect', resolve));
const times: number[] = [];
for (let i = 0; i < count; i++) {
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    socket.once('data', () => {
      resolve();
    });
    socket.write('x');
  });
  times.push(performance.now() - t0);
}
socket.destroy();
times.sort((a, b) => a - b);
process.stdout.write(`${Math.round((times[Math.floor(count / 2)] ?? NaN) * 1000)}\n`);
