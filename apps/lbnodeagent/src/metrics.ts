// The node agent's Prometheus metrics, on a registry of its own (nothing global).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AddressKind } from './decide-node.ts';

export interface AgentMetrics {
  readonly registry: Registry;
  /** Addresses this node holds now, by kind. */
  setAddresses(counts: Readonly<Record<AddressKind, number>>): void;
  /** Local addresses this node won and holds now. */
  setElectionsWon(count: number): void;
  /** A local address this node newly won. */
  countElectionWon(): void;
  setLiveMembers(count: number): void;
  countLeaseRenewFailure(): void;
  countNetlinkError(operation: string): void;
  countGarpSent(family: 'IPv4' | 'IPv6'): void;
  observeReconcile(seconds: number, outcome: 'converged' | 'retry' | 'terminal'): void;
  countWatchRestart(resource: string): void;
  countServiceWriteFailure(): void;
}

export function createMetrics(
  options: { readonly processMetrics?: boolean; readonly version?: string; readonly node?: string } = {},
): AgentMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const addresses = new Gauge({
    name: 'purelb_lbnodeagent_addresses_announced',
    help: 'Addresses this node holds, by kind (local or virtual)',
    labelNames: ['kind'] as const,
    registers,
  });
  const won = new Gauge({
    name: 'purelb_lbnodeagent_elections_won',
    help: 'Local addresses this node won and holds',
    registers,
  });
  const wins = new Counter({
    name: 'purelb_lbnodeagent_elections_won_total',
    help: 'Local addresses this node newly won',
    registers,
  });
  const live = new Gauge({
    name: 'purelb_lbnodeagent_live_members',
    help: 'Live node agents as this node sees them',
    registers,
  });
  const renewFailures = new Counter({
    name: 'purelb_lbnodeagent_lease_renew_failures_total',
    help: 'Membership Lease writes that failed',
    registers,
  });
  const netlink = new Counter({
    name: 'purelb_lbnodeagent_netlink_errors_total',
    help: 'Kernel operations that failed, by operation',
    labelNames: ['operation'] as const,
    registers,
  });
  const garp = new Counter({
    name: 'purelb_lbnodeagent_garp_sent_total',
    help: 'Gratuitous ARPs (IPv4) and unsolicited Neighbor Advertisements (IPv6) sent',
    labelNames: ['family'] as const,
    registers,
  });
  const reconcile = new Histogram({
    name: 'purelb_lbnodeagent_reconcile_duration_seconds',
    help: 'Time to converge this node’s interfaces with the cluster’s Services',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const watchRestarts = new Counter({
    name: 'purelb_lbnodeagent_watch_restarts_total',
    help: 'Watches re-established after an error or a 410 Gone',
    labelNames: ['resource'] as const,
    registers,
  });
  const writeFailures = new Counter({
    name: 'purelb_lbnodeagent_service_write_failures_total',
    help: 'Service annotation or condition writes that failed',
    registers,
  });
  const build = new Gauge({
    name: 'purelb_build_info',
    help: 'PureLB build: 1, with the version, the component and the node it runs on',
    labelNames: ['version', 'component', 'node'] as const,
    registers,
  });
  build.set({ version: options.version ?? 'unknown', component: 'lbnodeagent', node: options.node ?? 'unknown' }, 1);
  addresses.set({ kind: 'local' }, 0);
  addresses.set({ kind: 'virtual' }, 0);
  won.set(0);

  return {
    registry,
    setAddresses: (counts) => {
      addresses.set({ kind: 'local' }, counts.local);
      addresses.set({ kind: 'virtual' }, counts.virtual);
    },
    setElectionsWon: (count) => {
      won.set(count);
    },
    countElectionWon: () => {
      wins.inc();
    },
    setLiveMembers: (count) => {
      live.set(count);
    },
    countLeaseRenewFailure: () => {
      renewFailures.inc();
    },
    countNetlinkError: (operation) => {
      netlink.inc({ operation });
    },
    countGarpSent: (family) => {
      garp.inc({ family });
    },
    observeReconcile: (seconds, outcome) => {
      reconcile.observe({ outcome }, seconds);
    },
    countWatchRestart: (resource) => {
      watchRestarts.inc({ resource });
    },
    countServiceWriteFailure: () => {
      writeFailures.inc();
    },
  };
}
