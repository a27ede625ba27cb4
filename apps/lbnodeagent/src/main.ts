// Entry point: options → logger → crash policy → cluster and kernel → health server → agent;
// SIGTERM/SIGINT withdraw this node's local addresses, delete its membership Lease and exit 0.
import { homedir, hostname } from 'node:os';
import { installCrashPolicy, loadKubeconfigSource } from '@purelb/k8s-watch';
import { startHealthServer } from '@purelb/daemon-kit';
import { kernelNetwork } from './kernel-network.ts';
import { createLogger, errorFields } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { connectCluster } from './agent-cluster.ts';
import { startNodeAgent } from './node-agent.ts';
import { parseOptions, usage } from './options.ts';
import { readVersion } from './read-version.ts';

const parsed = parseOptions(process.argv.slice(2), process.env, { hostname: hostname(), homedir: homedir() });
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`lbnodeagent: ${e.message}\n`);
  process.stderr.write(`\n${usage}\n`);
  process.exit(2);
}
const version = readVersion();
if ('version' in parsed) {
  process.stdout.write(`lbnodeagent ${version}\n`);
  process.exit(0);
}
if (!('value' in parsed)) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const options = parsed.value;
const logger = createLogger(options.logLevel, options.nodeName);

// A fault nothing caught means the state may be inconsistent: say so, withdraw this node's local
// addresses and delete its Lease so that peers take over at once, and exit non-zero (ADR 0007).
let withdraw: () => Promise<void> = () => Promise.resolve();
installCrashPolicy({
  report: (fault) => {
    logger.fatal(fault.kind, errorFields(fault.error));
  },
  onFatal: () => withdraw(),
  graceMs: 2000,
});

const kube = await loadKubeconfigSource(options.kubeconfig);
if (!kube.ok) {
  for (const e of kube.errors) logger.error('startup-failed', { path: e.path, message: e.message });
  process.exit(1);
}

const metrics = createMetrics({ version, node: options.nodeName });
const network = kernelNetwork();
const agent = startNodeAgent({
  cluster: connectCluster(kube.value, options.leaseDurationMs),
  network,
  options,
  logger,
  metrics,
});
withdraw = () => agent.stop();
logger.info('started', {
  namespace: options.namespace,
  defaultClass: options.defaultClass,
  leaseDurationMs: options.leaseDurationMs,
  kubeconfig: options.kubeconfig.kind === 'file' ? options.kubeconfig.path : 'in-cluster',
});
const server = await startHealthServer(options.listen, metrics.registry, () => agent.readiness()).catch(
  (err: unknown) => {
    logger.error('startup-failed', { path: '--listen', ...errorFields(err) });
    process.exit(1);
  },
);
logger.info('listening', { host: server.address.host, port: server.address.port });

let stopping = false;
const shutdown = (signal: NodeJS.Signals): void => {
  if (stopping) {
    logger.warn('shutdown-forced', { signal });
    process.exit(1);
  }
  stopping = true;
  logger.info('stopping', { signal });
  void (async () => {
    try {
      await agent.stop();
      await network.close();
      await server.close();
      logger.info('stopped', { signal });
      process.exit(0);
    } catch (err: unknown) {
      logger.error('shutdown-failed', errorFields(err));
      process.exit(1);
    }
  })();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
