// The allocator daemon's moving parts: two watches kept warm on every replica, leadership on the leader Lease, and
// a leader session that allocates while this replica leads.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  createClusterWriter,
  createEventRecorder,
  createLeadership,
  systemClock,
  watchResource,
  type Clock,
  type ResourceWatch,
  type WatchStatus,
} from '@purelb/k8s-watch';
import type { Subscription } from 'rxjs';
import { COMPONENT, SERVICE_GROUP_RESOURCE } from './constants.ts';
import type { Readiness } from './health-server.ts';
import type { ServiceGroupObject, ServiceObject } from './kube-objects.ts';
import { startLeaderSession, type LeaderSession } from './leader-session.ts';
import { errorFields, type Logger } from './logger.ts';
import type { AllocatorMetrics } from './metrics.ts';
import { LEASE_NAME, type AllocatorOptions } from './options.ts';

export interface AllocatorDeps {
  readonly kubeConfig: KubeConfig;
  readonly options: AllocatorOptions;
  readonly logger: Logger;
  readonly metrics: AllocatorMetrics;
  readonly clock?: Clock;
  /** Wall-clock epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface Allocator {
  readiness(): Readiness;
  /** Stops allocating, releases the leader Lease (a peer takes over at once) and ends the watches. */
  stop(): Promise<void>;
}

function watchLogger(name: string, watch: ResourceWatch<object>, logger: Logger, metrics: AllocatorMetrics): Subscription {
  let restarts = 0;
  return watch.status$.subscribe((s: WatchStatus) => {
    if (s.restarts > restarts) {
      for (let i = restarts; i < s.restarts; i++) metrics.countWatchRestart(name);
      restarts = s.restarts;
      logger.warn('watch-restart', { resource: name, restarts: s.restarts, relists: s.relists, error: s.lastError });
    }
  });
}

export function startAllocator(deps: AllocatorDeps): Allocator {
  const { kubeConfig, options, logger, metrics } = deps;
  const clock = deps.clock ?? systemClock;
  const now = deps.now ?? Date.now;
  const services = watchResource<ServiceObject>({ kubeConfig, path: '/api/v1/services', clock });
  const groups = watchResource<ServiceGroupObject>({
    kubeConfig,
    path: `/apis/${SERVICE_GROUP_RESOURCE.group}/${SERVICE_GROUP_RESOURCE.version}/namespaces/${options.namespace}/${SERVICE_GROUP_RESOURCE.plural}`,
    clock,
  });
  const writer = createClusterWriter(kubeConfig);
  const recorder = createEventRecorder({ writer, component: COMPONENT, host: options.identity });
  const leadership = createLeadership({
    kubeConfig,
    namespace: options.namespace,
    name: LEASE_NAME,
    identity: options.identity,
    leaseDurationMs: options.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs,
    clock,
  });

  let servicesSynced = false;
  let groupsSynced = false;
  let holder: string | undefined;
  let renewedAt: number | undefined;
  /**
   * Leadership as a write may trust it: the Lease says so, and the last renewal began less than a
   * renew deadline ago by the monotonic clock (a process that was paused must not write before its
   * timers have run).
   */
  const leaseTrusted = (): boolean =>
    leadership.isLeader() && renewedAt !== undefined && clock.now() - renewedAt < options.renewDeadlineMs;
  let session: LeaderSession | undefined;
  let transitions: Promise<void> = Promise.resolve();
  let stopping = false;

  const subscriptions: Subscription[] = [
    watchLogger('services', services, logger, metrics),
    watchLogger('servicegroups', groups, logger, metrics),
    services.synced$.subscribe((s) => {
      servicesSynced = s;
      if (s) logger.info('cache-synced', { resource: 'services', objects: services.current()?.size ?? 0 });
    }),
    groups.synced$.subscribe((s) => {
      groupsSynced = s;
      if (s) logger.info('cache-synced', { resource: 'servicegroups', objects: groups.current()?.size ?? 0 });
    }),
    leadership.status$.subscribe((s) => {
      if (s.holder !== holder) logger.info('lease-holder', { holder: s.holder, identity: options.identity });
      holder = s.holder;
      renewedAt = s.renewedAt;
    }),
    leadership.isLeader$.subscribe((leading) => {
      transitions = transitions.then(async () => {
        if (leading && session === undefined && !stopping) {
          logger.info('leadership-acquired', { identity: options.identity });
          metrics.setLeader(true);
          const s = startLeaderSession({
            services,
            groups,
            namespace: options.namespace,
            filter: { defaultClass: options.defaultClass },
            execute: {
              writer,
              recorder,
              onEventFailed: (reason, error) => {
                logger.warn('event-failed', { reason, code: error.code, message: error.message });
              },
            },
            isLeader: leaseTrusted,
            logger,
            metrics,
            clock,
            now,
            concurrency: 8,
            groupStatusDelayMs: 200,
          });
          session = s;
          void s.started.then((ok) => {
            if (ok) logger.info('allocating', { identity: options.identity });
          });
        } else if (!leading && session !== undefined) {
          logger.info('leadership-lost', { identity: options.identity });
          metrics.setLeader(false);
          const s = session;
          session = undefined;
          await s.stop();
        }
      }).catch((err: unknown) => {
        logger.error('leadership-transition-failed', errorFields(err));
      });
    }),
  ];
  leadership.start();

  return {
    readiness() {
      const leading = leadership.isLeader();
      const known = leading || holder !== undefined;
      const ready = servicesSynced && groupsSynced && known;
      const detail = ready
        ? leading
          ? 'ready: leader'
          : `ready: standby (leader ${holder ?? ''})`
        : `not ready: services ${servicesSynced ? 'synced' : 'syncing'}, servicegroups ${groupsSynced ? 'synced' : 'syncing'}, leader ${known ? 'known' : 'unknown'}`;
      return { ready, detail };
    },
    async stop() {
      stopping = true;
      await transitions;
      const s = session;
      session = undefined;
      if (s !== undefined) await s.stop();
      metrics.setLeader(false);
      await leadership.stop();
      for (const sub of subscriptions) sub.unsubscribe();
      services.stop();
      groups.stop();
    },
  };
}
