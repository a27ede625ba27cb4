// Entry point: options → logger → crash policy → cluster → daemon → sidecar; SIGTERM/SIGINT stop it
// (the daemon says goodbye to its peers, which withdraw the routes at once).
import { homedir, hostname, networkInterfaces } from 'node:os';
import {
  createClusterWriter,
  createEventRecorder,
  createKubeTransport,
  installCrashPolicy,
  loadKubeconfigSource,
} from '@purelb/k8s-watch';
import { createBirdDaemon } from './bird-daemon.ts';
import { createLogger, errorFields } from './logger.ts';
import { parseOptions, usage } from './options.ts';
import { startRoutingSidecar } from './routing-sidecar.ts';

const parsed = parseOptions(process.argv.slice(2), process.env, { hostname: hostname(), homedir: homedir() });
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`routing-sidecar: ${e.message}\n`);
  process.stderr.write(`\n${usage}\n`);
  process.exit(2);
}
if ('help' in parsed) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const options = parsed.value;
const logger = createLogger(options.logLevel);
const daemon = createBirdDaemon({ bird: options.bird, birdc: options.birdc, runDir: options.runDir });

// A fault nothing caught: say so, stop the daemon (its peers withdraw), exit non-zero (ADR 0007).
installCrashPolicy({
  report: (fault) => {
    logger.fatal(fault.kind, errorFields(fault.error));
  },
  onFatal: () => daemon.stop(1500),
});

const kube = await loadKubeconfigSource(options.kubeconfig);
if (!kube.ok) {
  for (const e of kube.errors) logger.error('startup-failed', { path: e.path, message: e.message });
  process.exit(1);
}

// The daemon ending by itself leaves the node without routes: exit so that the kubelet restarts us.
daemon.onUnexpectedExit((exit) => {
  logger.error('daemon-exited', { code: exit.code, signal: exit.signal });
  process.exit(1);
});

const sidecar = startRoutingSidecar({
  transport: createKubeTransport(kube.value),
  recorder: createEventRecorder({
    writer: createClusterWriter(kube.value),
    component: 'purelb-routing-sidecar',
    host: options.nodeName,
  }),
  daemon,
  options,
  logger,
  interfaces: () => {
    const out: Record<string, { address: string; family: 'IPv4' | 'IPv6' }[]> = {};
    for (const [name, list] of Object.entries(networkInterfaces()))
      out[name] = (list ?? []).map((a) => ({ address: a.address, family: a.family }));
    return out;
  },
});
logger.info('started', {
  namespace: options.namespace,
  configMap: options.configMap,
  node: options.nodeName,
  runDir: options.runDir,
  socket: daemon.socketPath,
});

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) {
    logger.warn('shutdown-forced', { signal });
    process.exit(1);
  }
  stopping = true;
  logger.info('stopping', { signal });
  void sidecar.stop().then(
    () => {
      logger.info('stopped', { signal });
      process.exit(0);
    },
    (err: unknown) => {
      logger.error('shutdown-failed', errorFields(err));
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
