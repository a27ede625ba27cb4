// The API server relay of a lab: one process in the root namespace that owns a listening socket in
// each node namespace (on the API server's own loopback address and port) and forwards every
// connection to the API server. TLS passes through untouched, so the serving certificate for
// 127.0.0.1 stays valid and agents use the ordinary kubeconfig.
//   node relay.ts <upstream-host> <upstream-port> <namespace>...
// The sockets are made inside each namespace by a short-lived helper (`relay-listener.ts`, run with
// `ip netns exec`) that hands the listening socket to this process over the IPC channel and exits:
// a socket stays in the namespace it was created in, whoever holds it. Prints `ready` once every
// namespace listens; exits 1 with a message if one cannot.
import { spawn } from 'node:child_process';
import { connect, Server } from 'node:net';
import type { Socket } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const LISTENER = fileURLToPath(new URL(`./relay-listener${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

const [upstreamHost = '', upstreamPortText = '', ...namespaces] = process.argv.slice(2);
const upstreamPort = Number(upstreamPortText);
if (upstreamHost === '' || !Number.isInteger(upstreamPort) || namespaces.length === 0) {
  process.stderr.write('usage: relay.ts <upstream-host> <upstream-port> <namespace>...\n');
  process.exit(2);
}

function forward(downstream: Socket): void {
  const upstream = connect({ host: upstreamHost, port: upstreamPort });
  downstream.pipe(upstream);
  upstream.pipe(downstream);
  const fail = (error: Error): void => {
    process.stderr.write(`relay: ${error.message}\n`);
    downstream.destroy();
    upstream.destroy();
  };
  downstream.on('error', fail);
  upstream.on('error', fail);
  // An end is passed on by pipe(); an abort (reset, destroy) aborts the other side too.
  downstream.on('close', (hadError) => {
    if (hadError) upstream.destroy();
  });
  upstream.on('close', (hadError) => {
    if (hadError) downstream.destroy();
  });
}

function listenIn(ns: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const helper = spawn('ip', ['netns', 'exec', ns, process.execPath, LISTENER, upstreamHost, String(upstreamPort)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    helper.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    helper.on('message', (_message, handle) => {
      if (handle instanceof Server) resolve(handle);
    });
    helper.on('error', reject);
    helper.on('exit', (code) => {
      // after a resolve this does nothing
      reject(new Error(`cannot listen in ${ns} on ${upstreamHost}:${upstreamPort} (exit ${code}): ${stderr.trim()}`));
    });
  });
}

try {
  const servers = await Promise.all(namespaces.map(listenIn));
  for (const server of servers) server.on('connection', forward);
  process.stdout.write('ready\n');
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
