// The allocator daemon's moving parts: two watches kept warm on every replica, leadership on the
// leader Lease, and a leader session that allocates while this replica leads.
import {
  createClusterWriter,
  createEventRecorder,
  createKubeTransport,
  createLeadership,
  createLeaseClient,
  systemClock,
  watchResource,
} from '@purelb/k8s-watch';
import type {
  ClusterAccess,
  ClusterWriter,
  Clock,
  LeaseClient,
  RandomSource,
  ResourceWatch,
  WatchStatus,
  WatchTransport,
} from '@purelb/k8s-watch';
import type { Subscription } from 'rxjs';
import { COMPONENT, SERVICE_GROUP_RESOURCE } from './constants.ts';
import type { Readiness } from '@purelb/daemon-kit';
import type { ServiceGroupObject, ServiceObject } from './kube-objects.ts';
import { startLeaderSession } from './leader-session.ts';
import type { LeaderSession } from './leader-session.ts';
import { errorFields } from './logger.ts';
import type { Logger } from './logger.ts';
import type { AllocatorMetrics } from './metrics.ts';
import { LEASE_NAME } from './options.ts';
import type { AllocatorOptions } from './options.ts';
import { projectService, projectServiceGroup } from './project-objects.ts';

/** Everything the allocator says to the cluster goes through these three. */
export interface AllocatorCluster {
  /** Lists and watches (Services, ServiceGroups). */
  readonly transport: WatchTransport;
  /** The leader Lease. */
  readonly leaseClient: LeaseClient;
  /** Service status and annotations, ServiceGroup status, Events. */
  readonly writer: ClusterWriter;
}

/** The real cluster behind a kubeconfig. Lease requests give up after `renewDeadlineMs`. */
export function connectCluster(kubeConfig: ClusterAccess, renewDeadlineMs: number): AllocatorCluster {
  return {
    transport: createKubeTransport(kubeConfig),
    leaseClient: createLeaseClient(kubeConfig, { timeoutMs: renewDeadlineMs }),
    writer: createClusterWriter(kubeConfig),
  };
}

export interface AllocatorDeps {
  readonly cluster: AllocatorCluster;
  readonly options: AllocatorOptions;
  readonly logger: Logger;
  readonly metrics: AllocatorMetrics;
  readonly clock?: Clock;
  /** Wall-clock epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Jitter of the leadership retries and the watches' backoff. Default `Math.random`. */
  readonly random?: RandomSource;
}

export interface Allocator {
  readiness(): Readiness;
  /** Stops allocating, releases the leader Lease (a peer takes over at once) and ends the watches. */
  stop(): Promise<void>;
}

function watchLogger(
  name: string,
  watch: ResourceWatch<object>,
  deps: Pick<AllocatorDeps, 'logger' | 'metrics'>,
): Subscription {
  let restarts = 0;
  return watch.status$.subscribe((s: WatchStatus) => {
    if (s.restarts > restarts) {
      for (let i = restarts; i < s.restarts; i++) deps.metrics.countWatchRestart(name);
      restarts = s.restarts;
      deps.logger.warn('watch-restart', {
        resource: name,
        restarts: s.restarts,
        relists: s.relists,
        error: s.lastError,
      });
    }
  });
}

export function startAllocator(deps: AllocatorDeps): Allocator {
  const { cluster, options, logger, metrics } = deps;
  const clock = deps.clock ?? systemClock;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const { transport, writer } = cluster;
  // The caches keep only what the decisions read (ADR 0014).
  const services = watchResource<ServiceObject>({
    transport,
    path: '/api/v1/services',
    clock,
    random,
    project: projectService,
  });
  const groups = watchResource<ServiceGroupObject>({
    transport,
    path: `/apis/${SERVICE_GROUP_RESOURCE.group}/${SERVICE_GROUP_RESOURCE.version}/namespaces/${options.namespace}/${SERVICE_GROUP_RESOURCE.plural}`,
    clock,
    random,
    project: projectServiceGroup,
  });
  const recorder = createEventRecorder({
    writer,
    component: COMPONENT,
    host: options.identity,
    wallClock: () => new Date(now()),
  });
  const leadership = createLeadership({
    leaseClient: cluster.leaseClient,
    namespace: options.namespace,
    name: LEASE_NAME,
    identity: options.identity,
    leaseDurationMs: options.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs,
    clock,
    random,
    wallClock: () => new Date(now()),
  });

  let servicesSynced = false;
  let groupsSynced = false;
  let holder: string | undefined;
  let renewedAt: number | undefined;
  let renewFailures = 0;
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
    watchLogger('services', services, deps),
    watchLogger('servicegroups', groups, deps),
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
      if (s.renewFailures > renewFailures) {
        metrics.countLeaseRenewFailures(s.renewFailures - renewFailures);
        logger.warn('lease-renew-failed', {
          failures: s.renewFailures,
          code: s.lastError?.code,
          message: s.lastError?.message,
        });
        renewFailures = s.renewFailures;
      }
    }),
    leadership.isLeader$.subscribe((leading) => {
      transitions = transitions
        .then(async () => {
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
                  metrics.countWriteFailure('event', error.code);
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
        })
        .catch((err: unknown) => {
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
      const leading = leadership.isLeader();
      await transitions;
      const s = session;
      session = undefined;
      if (s !== undefined) await s.stop();
      metrics.setLeader(false);
      await leadership.stop();
      // The Lease no longer names us: a peer may take it at once.
      if (leading && holder !== options.identity) logger.info('leadership-released', { identity: options.identity });
      for (const sub of subscriptions) sub.unsubscribe();
      services.stop();
      groups.stop();
    },
  };
}
