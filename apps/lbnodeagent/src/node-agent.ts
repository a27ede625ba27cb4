// The node agent's moving parts: six watches feeding the cluster state, this node's membership
// Lease, one queue that converges the interfaces, one that writes Services, one for the LBNodeAgent
// status, and the kernel's change stream.
import type { KubeConfig } from '@kubernetes/client-node';
import {
  createClusterWriter,
  createEventRecorder,
  createKubeTransport,
  createLeaseClient,
  createWorkQueue,
  systemClock,
  watchResource,
} from '@purelb/k8s-watch';
import type {
  ClusterWriter,
  Clock,
  LeaseClient,
  ReconcileOutcome,
  ResourceWatch,
  WatchTransport,
} from '@purelb/k8s-watch';
import type { Subscription } from 'rxjs';
import { createClusterState } from './cluster-state.ts';
import { readConfig, reconcileConfigStatus } from './config-reconciler.ts';
import { COMPONENT, LBNODEAGENT_RESOURCE, SERVICE_GROUP_RESOURCE } from './constants.ts';
import { executeServicePlan } from './execute-service-plan.ts';
import type { Readiness } from './health-server.ts';
import type {
  EndpointSliceObject,
  LBNodeAgentObject,
  LeaseObject,
  NodeObject,
  ServiceGroupObject,
  ServiceObject,
} from './kube-objects.ts';
import type { Logger } from './logger.ts';
import { createMembershipLease } from './membership-lease.ts';
import { stewardOf } from './membership.ts';
import type { AgentMetrics } from './metrics.ts';
import { createNodeReconciler, localSubnets } from './node-reconciler.ts';
import type { NodeNetwork } from './node-network.ts';
import { formatTime, observeService } from './observe-service.ts';
import type { AgentOptions } from './options.ts';
import { DEFAULT_CONFIG, describeConfig } from './parse-agent-config.ts';
import type { AgentConfig } from './parse-agent-config.ts';
import { planService } from './plan-service.ts';

/** Everything the agent says to the cluster goes through these three. */
export interface AgentCluster {
  readonly transport: WatchTransport;
  readonly leaseClient: LeaseClient;
  readonly writer: ClusterWriter;
}

/** The real cluster behind a kubeconfig. Lease requests give up after a lease duration. */
export function connectCluster(kubeConfig: KubeConfig, leaseDurationMs: number): AgentCluster {
  return {
    transport: createKubeTransport(kubeConfig),
    leaseClient: createLeaseClient(kubeConfig, { timeoutMs: leaseDurationMs }),
    writer: createClusterWriter(kubeConfig),
  };
}

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
  const watch = <T extends object>(path: string): ResourceWatch<T> =>
    watchResource<T>({ transport: cluster.transport, path, clock });
  const watches = {
    services: watch<ServiceObject>('/api/v1/services'),
    slices: watch<EndpointSliceObject>('/apis/discovery.k8s.io/v1/endpointslices'),
    nodes: watch<NodeObject>('/api/v1/nodes'),
    agents: watch<LBNodeAgentObject>(
      `/apis/${LBNODEAGENT_RESOURCE.group}/${LBNODEAGENT_RESOURCE.version}/namespaces/${ns}/${LBNODEAGENT_RESOURCE.plural}`,
    ),
    groups: watch<ServiceGroupObject>(
      `/apis/${SERVICE_GROUP_RESOURCE.group}/${SERVICE_GROUP_RESOURCE.version}/namespaces/${ns}/${SERVICE_GROUP_RESOURCE.plural}`,
    ),
    leases: watch<LeaseObject>(`/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`),
  } as const;
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

  const reconcileService = async (key: string): Promise<ReconcileOutcome> => {
    const decision = reconciler.decision();
    // A stopping agent leaves its annotations: they tell its successor to announce the address.
    if (decision === undefined || stopping) return { kind: 'converged' };
    const obj = watches.services.current()?.get(key);
    if (obj === undefined) return { kind: 'converged' };
    const observed = observeService(obj);
    const actions = planService({
      node: options.nodeName,
      observed,
      announcement: decision.services.get(key),
      outcomes: reconciler.outcomes(),
      steward: stewardOf(state.membership().live),
      virtualInterface: config.virtualInterface,
      now: formatTime(now()),
    });
    if (actions.length === 0) return { kind: 'converged' };
    const result = await executeServicePlan(actions, observed, { writer: cluster.writer, recorder, onEventFailed });
    switch (result.kind) {
      case 'done':
        if (result.writes > 0)
          logger.debug('service-written', { key, writes: result.writes, actions: actions.map((a) => a.kind) });
        return { kind: 'converged' };
      case 'gone':
        return { kind: 'converged' };
      case 'failed':
        metrics.countServiceWriteFailure();
        logger.warn('service-write-failed', {
          key,
          action: result.action,
          code: result.error.code,
          message: result.error.message,
        });
        return result.error.code === 'Forbidden' || result.error.code === 'Invalid'
          ? { kind: 'terminal', reason: result.error.message }
          : { kind: 'retry', reason: result.error.message };
    }
  };
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
    watches.slices.updates$.subscribe(() => {
      state.applySlices(watches.slices.current() ?? new Map());
      nodeQueue.add(NODE);
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
