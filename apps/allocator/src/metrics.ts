// The allocator's Prometheus metrics, on a registry of its own (nothing global).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerLeaderGauges } from './leader-gauges.ts';
import type { LeaderGauges } from './leader-gauges.ts';

export interface PoolUsage {
  readonly group: string;
  readonly family: 'IPv4' | 'IPv6';
  /** Exact decimal strings; exported as floats (Prometheus has nothing wider). */
  readonly capacity: string;
  readonly allocated: string;
}

export interface AllocatorMetrics {
  readonly registry: Registry;
  /** Replaces the pool gauges with the given usage (groups that vanished disappear). */
  setPoolUsage(usage: readonly PoolUsage[]): void;
  countAllocation(group: string): void;
  countRejection(reason: string): void;
  countRelease(): void;
  observeReconcile(seconds: number, outcome: 'converged' | 'retry' | 'terminal'): void;
  countWatchRestart(resource: string): void;
  setLeader(isLeader: boolean): void;
  /** Attempts to renew the leader Lease that failed while leading. */
  countLeaseRenewFailures(count: number): void;
  /** A write to the cluster (status, annotations, Event) that failed. */
  countWriteFailure(action: string, code: string): void;
  /** What the leader knows now: pending Services, groups, per-pool usage (see leader-gauges.ts). */
  readonly leaderState: LeaderGauges;
}

/** What `purelb_build_info` says about this process. */
export interface BuildInfo {
  readonly version: string;
  /** The node the pod runs on (downward API `NODE_NAME`), else the host name. */
  readonly node: string;
}

export function createMetrics(
  options: { readonly processMetrics?: boolean; readonly build?: BuildInfo } = {},
): AllocatorMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  if (options.build !== undefined) {
    new Gauge({
      name: 'purelb_build_info',
      help: 'PureLB build: 1, with the version, the component and the node it runs on',
      labelNames: ['version', 'component', 'node'] as const,
      registers: [registry],
    }).set({ version: options.build.version, component: 'allocator', node: options.build.node }, 1);
  }
  const capacity = new Gauge({
    name: 'purelb_allocator_pool_capacity',
    help: 'Addresses in the valid pools of a ServiceGroup, per family',
    labelNames: ['group', 'family'] as const,
    registers: [registry],
  });
  const inUse = new Gauge({
    name: 'purelb_allocator_pool_in_use',
    help: 'Addresses of a ServiceGroup given to Services, per family',
    labelNames: ['group', 'family'] as const,
    registers: [registry],
  });
  const allocations = new Counter({
    name: 'purelb_allocator_allocations_total',
    help: 'Services given addresses, per group',
    labelNames: ['group'] as const,
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'purelb_allocator_rejections_total',
    help: 'Services left without addresses, per reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const releases = new Counter({
    name: 'purelb_allocator_releases_total',
    help: 'Services whose addresses were released',
    registers: [registry],
  });
  const reconcile = new Histogram({
    name: 'purelb_allocator_reconcile_duration_seconds',
    help: 'Time to reconcile one Service key',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const watchRestarts = new Counter({
    name: 'purelb_allocator_watch_restarts_total',
    help: 'Watches re-established after an error or a 410 Gone',
    labelNames: ['resource'] as const,
    registers: [registry],
  });
  const leader = new Gauge({
    name: 'purelb_allocator_leader',
    help: '1 while this replica holds the leader Lease',
    registers: [registry],
  });
  leader.set(0);
  const writeFailures = new Counter({
    name: 'purelb_allocator_write_failures_total',
    help: 'Writes to the cluster that failed, per action (patch-status, patch-annotations, event) and error code',
    labelNames: ['action', 'code'] as const,
    registers: [registry],
  });
  const leaderState = registerLeaderGauges(registry);
  const renewFailures = new Counter({
    name: 'purelb_allocator_lease_renew_failures_total',
    help: 'Attempts to renew the leader Lease that failed while this replica led',
    registers: [registry],
  });

  return {
    registry,
    setPoolUsage(usage) {
      capacity.reset();
      inUse.reset();
      for (const u of usage) {
        capacity.set({ group: u.group, family: u.family }, Number(u.capacity));
        inUse.set({ group: u.group, family: u.family }, Number(u.allocated));
      }
    },
    countAllocation: (group) => {
      allocations.inc({ group });
    },
    countRejection: (reason) => {
      rejections.inc({ reason });
    },
    countRelease: () => {
      releases.inc();
    },
    observeReconcile: (seconds, outcome) => {
      reconcile.observe({ outcome }, seconds);
    },
    countWatchRestart: (resource) => {
      watchRestarts.inc({ resource });
    },
    setLeader: (isLeader) => {
      leader.set(isLeader ? 1 : 0);
    },
    countLeaseRenewFailures: (count) => {
      renewFailures.inc(count);
    },
    countWriteFailure: (action, code) => {
      writeFailures.inc({ action, code });
    },
    leaderState,
  };
}
