// Entry point: options → logger → client → health server → allocator; SIGTERM/SIGINT stop it.
import { homedir, hostname } from 'node:os';
import { startAllocator } from './allocator.ts';
import { startHealthServer } from './health-server.ts';
import { loadKubeConfig } from './load-kube-config.ts';
import { createLogger, errorFields } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { parseOptions, usage } from './options.ts';

const parsed = parseOptions(process.argv.slice(2), process.env, { hostname: hostname(), pid: process.pid, homedir: homedir() });
if (!parsed.ok) {
  for (const e of parsed.errors) process.stderr.write(`allocator: ${e.message}\n`);
  process.stderr.write(`\n${usage}\n`);
  process.exit(2);
}
if (!('value' in parsed)) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const options = parsed.value;
const logger = createLogger(options.logLevel);

// Nothing a Service or a ServiceGroup carries may stop the allocator: log and carry on.
process.on('unhandledRejection', (reason) => {
  logger.error('unhandled-rejection', errorFields(reason));
});
process.on('uncaughtException', (err) => {
  logger.error('uncaught-exception', errorFields(err));
});

const kube = loadKubeConfig(options.kubeconfig);
if (!kube.ok) {
  for (const e of kube.errors) logger.error('startup-failed', { path: e.path, message: e.message });
  process.exit(1);
}

const metrics = createMetrics();
const allocator = startAllocator({ kubeConfig: kube.value, options, logger, metrics });
logger.info('started', {
  identity: options.identity,
  namespace: options.namespace,
  defaultClass: options.defaultClass,
  kubeconfig: options.kubeconfig.kind === 'file' ? options.kubeconfig.path : 'in-cluster',
});
const server = await startHealthServer(options.listen, metrics.registry, () => allocator.readiness()).catch((err: unknown) => {
  logger.error('startup-failed', { path: '--listen', ...errorFields(err) });
  process.exit(1);
});
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
