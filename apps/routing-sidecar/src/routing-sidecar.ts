// The sidecar: watch the routing ConfigMap → parse and render (pure) → decide → apply to the daemon.
// One pass at a time, each on the latest snapshot; a pass that changes nothing does nothing. A bad
// input is logged and reported as a Warning Event on the ConfigMap, and the daemon keeps running the
// last good configuration.
import { concatMap, from, map } from 'rxjs';
import type { Subscription } from 'rxjs';
import { watchResource } from '@purelb/k8s-watch';
import type { Clock, EventRecorder, InvolvedObject, RandomSource, WatchTransport } from '@purelb/k8s-watch';
import type { BirdDaemon } from './bird-daemon.ts';
import { decideApply } from './decide-apply.ts';
import type { Rendered } from './decide-apply.ts';
import type { Logger } from './logger.ts';
import type { SidecarOptions } from './options.ts';
import { parseRoutingConfig } from './parse-routing-config.ts';
import { renderBirdConfig } from './render-bird-config.ts';
import { resolveRouterId } from './resolve-router-id.ts';
import type { HostAddresses } from './resolve-router-id.ts';
import { formatProblem } from './routing-config.ts';

interface ConfigMapObject {
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly uid?: string };
  readonly data?: Readonly<Record<string, string>>;
}

export interface SidecarDeps {
  readonly transport: WatchTransport;
  readonly recorder: EventRecorder;
  readonly daemon: BirdDaemon;
  readonly options: Pick<SidecarOptions, 'namespace' | 'configMap' | 'hostIp'>;
  readonly logger: Logger;
  /** This host's interface addresses, read when the router ID comes from an interface. */
  readonly interfaces: () => HostAddresses['interfaces'];
  readonly clock?: Clock;
  readonly random?: RandomSource;
}

export interface RoutingSidecar {
  /** Ends the watch, waits for the pass in flight, stops the daemon. */
  stop(): Promise<void>;
}

/** At most this many problems are listed in one Event (the log line has them all). */
const EVENT_PROBLEMS = 5;

export function startRoutingSidecar(deps: SidecarDeps): RoutingSidecar {
  const { options, logger, daemon, recorder } = deps;
  const source = `ConfigMap ${options.namespace}/${options.configMap}`;
  const watch = watchResource<ConfigMapObject>({
    transport: deps.transport,
    path: `/api/v1/namespaces/${options.namespace}/configmaps`,
    fieldSelector: `metadata.name=${options.configMap}`,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.random === undefined ? {} : { random: deps.random }),
  });
  let running: string | undefined;
  let missingLogged = false;
  let inFlight: Promise<void> = Promise.resolve();

  const involved = (cm: ConfigMapObject): InvolvedObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: options.namespace,
    name: options.configMap,
    ...(cm.metadata?.uid === undefined ? {} : { uid: cm.metadata.uid }),
  });

  const render = (cm: ConfigMapObject): Rendered & { routerId?: string; peers?: number } => {
    const parsed = parseRoutingConfig(cm.data);
    if (!parsed.ok) return parsed;
    const routerId = resolveRouterId(parsed.value.routerId, { hostIp: options.hostIp, interfaces: deps.interfaces() });
    if (!routerId.ok) return { ok: false, errors: [routerId.error] };
    return {
      ok: true,
      text: renderBirdConfig(parsed.value, { routerId: routerId.value, source }),
      routerId: routerId.value,
      peers: parsed.value.peers.length,
    };
  };

  const pass = async (cm: ConfigMapObject | undefined): Promise<void> => {
    if (cm === undefined) {
      if (!missingLogged) logger.warn('routing-config-missing', { configMap: source, keeping: running !== undefined });
      missingLogged = true;
      return;
    }
    missingLogged = false;
    const rendered = render(cm);
    const decision = decideApply(rendered, running);
    switch (decision.kind) {
      case 'unchanged':
        logger.debug('routing-config-unchanged', { configMap: source });
        return;
      case 'reject': {
        const problems = decision.errors.map(formatProblem);
        logger.error('routing-config-invalid', { configMap: source, problems, keeping: decision.keeping });
        const shown =
          problems.slice(0, EVENT_PROBLEMS).join('; ') +
          (problems.length > EVENT_PROBLEMS ? `; and ${problems.length - EVENT_PROBLEMS} more` : '');
        const tail = decision.keeping ? 'the last good configuration stays' : 'no configuration runs yet';
        await recorder.record(involved(cm), {
          type: 'Warning',
          reason: 'InvalidRoutingConfig',
          message: `${shown} (${tail})`,
          slot: 'routing',
        });
        return;
      }
      case 'apply': {
        const outcome = await daemon.apply(decision.text);
        if (!outcome.ok) {
          logger.error('routing-config-not-applied', {
            configMap: source,
            code: outcome.error.code,
            message: outcome.error.message,
            keeping: running !== undefined,
          });
          await recorder.record(involved(cm), {
            type: 'Warning',
            reason: 'RoutingConfigRejected',
            message: outcome.error.message,
            slot: 'routing',
          });
          return;
        }
        running = decision.text;
        const fields = {
          configMap: source,
          started: decision.start,
          routerId: rendered.ok ? rendered.routerId : undefined,
          peers: rendered.ok ? rendered.peers : undefined,
        };
        logger.info('routing-config-applied', fields);
        await recorder.record(involved(cm), {
          type: 'Normal',
          reason: 'RoutingConfigApplied',
          message: `${fields.peers ?? 0} BGP peer(s), router ID ${fields.routerId ?? '?'}`,
          slot: 'routing',
        });
        return;
      }
    }
  };

  const subscription: Subscription = watch.snapshots$
    .pipe(
      map((snapshot) => snapshot.get(`${options.namespace}/${options.configMap}`)),
      concatMap((cm) => {
        inFlight = pass(cm);
        return from(inFlight);
      }),
    )
    // A pass that throws is a bug: rxjs rethrows it asynchronously and the crash policy ends the process.
    .subscribe();

  return {
    stop: async () => {
      watch.stop();
      subscription.unsubscribe();
      await inFlight.catch(() => undefined);
      await daemon.stop();
    },
  };
}
