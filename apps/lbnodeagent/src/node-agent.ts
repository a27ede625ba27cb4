// The node agent's moving parts: six watches feeding the cluster state, this node's membership
// Lease, one queue that converges the interfaces, one that writes Services, one for the LBNodeAgent
// status, and the kernel's change stream.
import { createEventRecorder, createWorkQueue, systemClock } from '@purelb/k8s-watch';
import type { Clock, ReconcileOutcome, ResourceWatch } from '@purelb/k8s-watch';
import type { Subscription } from 'rxjs';
import { watchCluster } from './agent-cluster.ts';
import type { AgentCluster } from './agent-cluster.ts';
import { createClusterState } from './cluster-state.ts';
import { readConfig, reconcileConfigStatus } from './config-reconciler.ts';
import { COMPONENT } from './constants.ts';
import type { Readiness } from '@purelb/daemon-kit';
import type { Logger } from './logger.ts';
import { createMembershipLease } from './membership-lease.ts';
import { stewardOf } from './membership.ts';
import type { AgentMetrics } from './metrics.ts';
import { createNodeReconciler, localSubnets } from './node-reconciler.ts';
import type { NodeNetwork } from './node-network.ts';
import type { AgentOptions } from './options.ts';
import { DEFAULT_CONFIG, describeConfig } from './parse-agent-config.ts';
import type { AgentConfig } from './parse-agent-config.ts';
import { createServiceReconciler } from './service-reconciler.ts';

export interface AgentDeps {
  readonly cluster: AgentCluster;
  readonly network: NodeNetwork;
  readonly options: AgentOptions;
  readonly logger: Logger;
  readonly metrics: AgentMetrics;
  readonly clock?: Clock;
  /** Wall clock epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface NodeAgent {
  readiness(): Readiness;
  /** Withdraws this node's local addresses, deletes its membership Lease (peers take over at once) and stops. */
  stop(): Promise<void>;
}

const NODE = 'node';

export function startNodeAgent(deps: AgentDeps): NodeAgent {
  const { cluster, network, options, logger, metrics } = deps;
  const clock = deps.clock ?? systemClock;
  const now = deps.now ?? Date.now;
  const ns = options.namespace;
  const watches = watchCluster(cluster.transport, { namespace: ns, clock });
  const recorder = createEventRecorder({ writer: cluster.writer, component: COMPONENT, host: options.nodeName });
  const state = createClusterState({
    node: options.nodeName,
    filter: { defaultClass: options.defaultClass },
    defaultDurationMs: options.leaseDurationMs,
  });
  const lease = createMembershipLease({
    leaseClient: cluster.leaseClient,
    namespace: ns,
    node: options.nodeName,
    durationMs: options.leaseDurationMs,
    clock,
    wallClock: () => new Date(now()),
    onFailure: (operation, error) => {
      if (operation !== 'delete') metrics.countLeaseRenewFailure();
      logger.warn('lease-write-failed', { operation, code: error.code, message: error.message });
    },
    onFirstWrite: () => {
      applyLeases();
    },
  });

  let config: AgentConfig = DEFAULT_CONFIG;
  let stopping = false;
  let synced = false;
  let blind = false;
  let announcedReady = false;
  let cancelExpiry: (() => void) | undefined;
  const onEventFailed = (reason: string, error: { code: string; message: string }): void => {
    logger.warn('event-failed', { reason, code: error.code, message: error.message });
  };

  const reconciler = createNodeReconciler({
    state,
    network,
    config: () => config,
    linkKind: options.linkKind,
    stopping: () => stopping,
    onSubnets: (subnets) => {
      lease.setSubnets(subnets);
    },
    onServicesChanged: (keys) => {
      serviceQueue.addAll(keys);
    },
    logger,
    metrics,
  });
  // Passes run one after another while changes keep coming; between two, a pause of twice the last
  // pass (20 ms to 1 s) lets a burst gather, so a busy cluster costs at most about a third of a core.
  let lastPassEnd = Number.NEGATIVE_INFINITY;
  let lastPassMs = 0;
  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      clock.setTimer(ms, resolve);
    });
  async function reconcileNode(): Promise<ReconcileOutcome> {
    // Nothing is touched before this node sees itself as a member: a restarted agent keeps what it
    // holds until it knows whether it still wins (then the first pass converges, sweep included).
    if (!synced || !(state.membership().selfSeen || stopping)) return { kind: 'converged' };
    const wait = lastPassEnd + Math.min(1000, Math.max(20, 2 * lastPassMs)) - clock.now();
    if (wait > 0 && !stopping) await pause(wait);
    const started = clock.now();
    const outcome = await reconciler.reconcile();
    lastPassEnd = clock.now();
    lastPassMs = lastPassEnd - started;
    return outcome;
  }
  const nodeQueue = createWorkQueue<string>({
    reconcile: reconcileNode,
    clock,
    backoff: { initialMs: 200, maxMs: 10_000 },
    onSettled: (s) => {
      metrics.observeReconcile(s.durationMs / 1000, s.outcome.kind);
      if (!announcedReady && !stopping && state.membership().selfSeen) {
        announcedReady = true;
        logger.info('ready', { live: [...state.membership().live].sort(), services: state.serviceCount() });
      }
    },
  });

  const reconcileService = createServiceReconciler({
    node: options.nodeName,
    service: (key) => watches.services.current()?.get(key),
    reconciler,
    steward: () => stewardOf(state.membership().live),
    virtualInterface: () => config.virtualInterface,
    stopping: () => stopping,
    frozen: () => state.membership().blind,
    writer: cluster.writer,
    recorder,
    now,
    onEventFailed,
    logger,
    metrics,
  });
  const serviceQueue = createWorkQueue<string>({ reconcile: reconcileService, concurrency: 4, clock });
  const configQueue = createWorkQueue<string>({
    reconcile: () =>
      reconcileConfigStatus({
        namespace: ns,
        current: () => watches.agents.current(),
        writer: cluster.writer,
        recorder,
        now,
        onEventFailed,
      }),
    clock,
  });

  /** Recomputes liveness; re-arms the timer for the next expiry. */
  const refreshMembership = (): void => {
    cancelExpiry?.();
    cancelExpiry = undefined;
    const changed = state.refreshMembership(clock.now());
    const view = state.membership();
    if (view.blind !== blind) {
      blind = view.blind;
      if (blind)
        logger.warn('membership-frozen', {
          why: 'this node has not seen its own Lease renewed within its duration',
          live: [...view.live],
        });
      else logger.info('membership-resumed', { live: [...view.live] });
    }
    if (changed) {
      metrics.setLiveMembers(view.live.size);
      logger.info('members-changed', { live: [...view.live].sort(), members: view.members.length });
      nodeQueue.add(NODE);
    }
    if (view.nextExpiryInMs !== undefined && !stopping)
      cancelExpiry = clock.setTimer(view.nextExpiryInMs + 1, refreshMembership);
  };

  function applyLeases(): void {
    const before = stewardOf(state.membership().live);
    state.applyLeases({
      snapshot: watches.leases.current() ?? new Map(),
      now: clock.now(),
      wallNow: now(),
      includeSelf: lease.written(),
    });
    refreshMembership();
    // A new steward looks at every Service once (conditions nobody else writes).
    if (stewardOf(state.membership().live) !== before) serviceQueue.addAll(watches.services.current()?.keys() ?? []);
  }

  const applyConfig = (): void => {
    const parsed = readConfig(watches.agents.current(), ns);
    if (!parsed.ok) {
      logger.warn('config-invalid', { errors: parsed.errors, kept: describeConfig(config) });
    } else if (describeConfig(parsed.value) !== describeConfig(config)) {
      config = parsed.value;
      logger.info('config-applied', { config: describeConfig(config) });
      nodeQueue.add(NODE);
    }
    configQueue.add('config');
  };

  const all = Object.entries(watches) as [string, ResourceWatch<object>][];
  const subscriptions: Subscription[] = all.map(([name, w]) => {
    let restarts = 0;
    return w.status$.subscribe((s) => {
      if (s.restarts <= restarts) return;
      for (let i = restarts; i < s.restarts; i++) metrics.countWatchRestart(name);
      restarts = s.restarts;
      logger.warn('watch-restart', { resource: name, restarts: s.restarts, relists: s.relists, error: s.lastError });
    });
  });
  subscriptions.push(
    watches.services.updates$.subscribe((u) => {
      if (state.applyServices(watches.services.current() ?? new Map(), u.changed)) nodeQueue.add(NODE);
      serviceQueue.addAll(u.changed);
    }),
    watches.slices.updates$.subscribe((u) => {
      if (state.applySlices(watches.slices.current() ?? new Map(), u.changed)) nodeQueue.add(NODE);
    }),
    watches.nodes.updates$.subscribe(() => {
      state.applyNodes(watches.nodes.current() ?? new Map());
      refreshMembership();
    }),
    watches.groups.updates$.subscribe(() => {
      state.applyGroups(watches.groups.current() ?? new Map());
      nodeQueue.add(NODE);
    }),
    watches.agents.updates$.subscribe(applyConfig),
    watches.leases.updates$.subscribe(applyLeases),
  );
  const stopKernelWatch = network.watch(() => {
    nodeQueue.add(NODE);
  });

  void Promise.all(all.map(([, w]) => w.whenSynced())).then(async (results) => {
    if (stopping || !results.every(Boolean)) return;
    synced = true;
    logger.info('caches-synced', { services: state.serviceCount(), config: describeConfig(config) });
    // The first Lease already names this node's subnets: a member without them would lose every
    // election for a moment and make its peers take its addresses.
    const view = await network.read();
    if (view.ok) lease.setSubnets(localSubnets(config, view.value));
    lease.start();
    nodeQueue.add(NODE);
  });

  return {
    readiness() {
      const view = state.membership();
      const ready = synced && view.selfSeen && reconciler.passes() > 0 && !stopping;
      const detail = ready
        ? `ready: ${view.live.size} live members, ${state.serviceCount()} Services`
        : `not ready: caches ${synced ? 'synced' : 'syncing'}, own Lease ${view.selfSeen ? 'seen' : 'not seen yet'}, interfaces ${reconciler.passes() > 0 ? 'converged' : 'not converged yet'}`;
      return { ready, detail };
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      cancelExpiry?.();
      stopKernelWatch();
      // One last pass withdraws the local addresses, then the Lease goes: peers take over at once.
      if (synced) {
        nodeQueue.add(NODE);
        await nodeQueue.idle();
      }
      await lease.stop();
      logger.info('withdrawn', { node: options.nodeName });
      for (const s of subscriptions) s.unsubscribe();
      await Promise.all([nodeQueue.stop(), serviceQueue.stop(), configQueue.stop()]);
      for (const [, w] of all) w.stop();
    },
  };
}
