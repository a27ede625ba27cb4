// Run inside a network namespace by the relay (`ip netns exec <ns> node relay-listener.ts <host>
// <port>`): listens on <host>:<port> there, hands the listening socket to the relay over the IPC
// channel and exits. The socket keeps living in this namespace, in the relay's hands.
import { createServer } from 'node:net';

const host = process.argv[2] ?? '';
const port = Number(process.argv[3]);
const send = process.send?.bind(process);
if (host === '' || !Number.isInteger(port) || send === undefined) {
  process.stderr.write('usage: relay-listener.ts <host> <port> (started by the relay, with an IPC channel)\n');
  process.exit(2);
}
const server = createServer();
server.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
server.listen({ host, port, exclusive: true }, () => {
  send('listening', server, {}, () => {
    process.exit(0);
  });
});
