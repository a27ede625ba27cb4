// Entry point: options → logger → crash policy → cluster → health server → allocator; SIGTERM/SIGINT stop it.
import { homedir, hostname } from 'node:os';
import { installCrashPolicy, loadKubeconfigSource } from '@purelb/k8s-watch';
import { connectCluster, startAllocator } from './allocator.ts';
import { startHealthServer } from '@purelb/daemon-kit';
import { createLogger, errorFields } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { parseOptions, usage } from './options.ts';
import { readVersion } from './read-version.ts';

const parsed = parseOptions(process.argv.slice(2), process.env, {
  hostname: hostname(),
  pid: process.pid,
  homedir: homedir(),
});
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`allocator: ${e.message}\n`);
  process.stderr.write(`\n${usage}\n`);
  process.exit(2);
}
if (parsed.value.kind === 'help') {
  process.stdout.write(`${parsed.value.text}\n`);
  process.exit(0);
}
const version = readVersion();
if (parsed.value.kind === 'version') {
  process.stdout.write(`allocator ${version}\n`);
  process.exit(0);
}
const options = parsed.value.options;
const logger = createLogger(options.logLevel);

// A fault nothing caught means the state may be inconsistent: say so, let go of the Lease so that the
// standby takes over, and exit non-zero so that the kubelet restarts us (ADR 0007).
let releaseLeadership: () => Promise<void> = () => Promise.resolve();
installCrashPolicy({
  report: (fault) => {
    logger.fatal(fault.kind, errorFields(fault.error));
  },
  onFatal: () => releaseLeadership(),
  graceMs: Math.min(2000, options.renewDeadlineMs),
});

const kube = await loadKubeconfigSource(options.kubeconfig);
if (!kube.ok) {
  for (const e of kube.errors) logger.error('startup-failed', { path: e.path, message: e.message });
  process.exit(1);
}

const metrics = createMetrics({ build: { version, node: process.env['NODE_NAME'] ?? hostname() } });
const allocator = startAllocator({
  cluster: connectCluster(kube.value, options.renewDeadlineMs),
  options,
  logger,
  metrics,
});
releaseLeadership = () => allocator.stop();
logger.info('started', {
  identity: options.identity,
  namespace: options.namespace,
  defaultClass: options.defaultClass,
  kubeconfig: options.kubeconfig.kind === 'file' ? options.kubeconfig.path : 'in-cluster',
});
const server = await startHealthServer(options.listen, metrics.registry, () => allocator.readiness()).catch(
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
      await allocator.stop();
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
