// One pass over this node's interfaces: read the kernel, decide from the cluster state, plan, execute,
// and remember what each address gave (for the Service writes). Passes run one at a time (the
// daemon's queue has one key), so a burst of changes costs one pass.
import { hash } from 'node:crypto';
import type { ReconcileOutcome } from '@purelb/k8s-watch';
import type { ClusterState } from './cluster-state.ts';
import type { AddressKind, NodeDecision, ServiceAnnouncement } from './decide-node.ts';
import { executeAddressActions } from './execute-addresses.ts';
import type { ActionFailure } from './execute-addresses.ts';
import type { Logger } from './logger.ts';
import type { AgentMetrics } from './metrics.ts';
import type { NetworkView, NodeNetwork } from './node-network.ts';
import type { AgentConfig } from './parse-agent-config.ts';
import { planAddresses } from './plan-addresses.ts';
import type { AddressAction } from './plan-addresses.ts';
import type { AddressOutcome } from './plan-service.ts';
import { formatCidr } from '@purelb/ipam-core';
import { selectLocalInterfaces } from './select-local-interfaces.ts';
import type { LocalInterfaces } from './select-local-interfaces.ts';

export interface NodeReconcilerDeps {
  readonly state: ClusterState;
  readonly network: NodeNetwork;
  readonly config: () => AgentConfig;
  readonly linkKind: string;
  /** True once the agent is stopping: local addresses are withdrawn, nothing local is added. */
  readonly stopping: () => boolean;
  /** Told the local subnets after every read of the kernel (for the membership Lease). */
  readonly onSubnets: (subnets: readonly string[]) => void;
  /** Told the keys of Services whose announcement or outcome changed. */
  readonly onServicesChanged: (keys: Iterable<string>) => void;
  readonly logger: Logger;
  readonly metrics: AgentMetrics;
}

export interface NodeReconciler {
  reconcile(): Promise<ReconcileOutcome>;
  /** The last decision, undefined before the first pass. */
  decision(): NodeDecision | undefined;
  outcomes(): ReadonlyMap<string, AddressOutcome>;
  /** Number of passes finished. */
  passes(): number;
}

const subnetsOf = (local: LocalInterfaces): string[] => Object.values(local).flatMap((l) => l.subnets.map(formatCidr));

/** The subnets this node publishes in its membership Lease: those of its local interfaces. */
export function localSubnets(config: AgentConfig, view: NetworkView): string[] {
  return subnetsOf(selectLocalInterfaces(config, view));
}

/** A digest of what the Service's write depends on; kept per Service, so a digest, not the text. */
function fingerprint(ann: ServiceAnnouncement, outcomes: ReadonlyMap<string, AddressOutcome>): string {
  const text = JSON.stringify([
    ann.writer,
    ann.addresses.map((a) => [a.address, a.holding, a.mine?.interface, outcomes.get(a.address)]),
  ]);
  return hash('sha1', text, 'base64');
}

function logAction(logger: Logger, action: AddressAction): void {
  switch (action.kind) {
    case 'ensure-link':
      logger.info('link-ensured', { interface: action.interface, linkKind: action.linkKind });
      return;
    case 'add':
      logger.info('address-added', {
        ...action.spec,
        kind: action.local ? 'local' : 'virtual',
        services: action.services,
      });
      return;
    case 'remove':
      logger.info('address-removed', { ...action.spec });
      return;
    case 'announce':
      logger.debug('address-announced', { ...action.spec });
      return;
  }
}

export function createNodeReconciler(deps: NodeReconcilerDeps): NodeReconciler {
  const { state, network, logger, metrics } = deps;
  let decision: NodeDecision | undefined;
  let outcomes: ReadonlyMap<string, AddressOutcome> = new Map();
  let prints = new Map<string, string>();
  let wonBefore = new Set<string>();
  let passes = 0;

  const reportFailure = (f: ActionFailure): void => {
    const operation = f.action.kind === 'ensure-link' ? 'link' : f.action.kind;
    metrics.countNetlinkError(operation);
    const target = f.action.kind === 'ensure-link' ? { interface: f.action.interface } : { ...f.action.spec };
    logger.warn('kernel-operation-failed', { operation, ...target, code: f.error.code, message: f.error.message });
  };

  return {
    async reconcile() {
      const started = performance.now();
      const read = await network.read();
      if (!read.ok) {
        metrics.countNetlinkError('read');
        logger.warn('kernel-read-failed', { code: read.error.code, message: read.error.message });
        return { kind: 'retry', reason: read.error.message };
      }
      const config = deps.config();
      const localInterfaces = selectLocalInterfaces(config, read.value);
      deps.onSubnets(subnetsOf(localInterfaces));
      const next = state.decide({ localInterfaces, virtualInterface: config.virtualInterface });
      const stopping = deps.stopping();
      const desired = stopping ? new Map([...next.addresses].filter(([, d]) => d.kind !== 'local')) : next.addresses;
      const actions = planAddresses({
        desired,
        view: read.value,
        virtualInterface: config.virtualInterface,
        linkKind: deps.linkKind,
        sendGarp: config.sendGarp,
      });
      const result = await executeAddressActions(actions, network);
      for (const action of result.done) logAction(logger, action);
      for (const f of result.failures) reportFailure(f);
      void result.announcements.then(({ sent, failures }) => {
        for (const a of sent) {
          logAction(logger, a);
          if (a.kind === 'announce') metrics.countGarpSent(a.spec.family);
        }
        for (const f of failures) reportFailure(f);
      });

      const nextOutcomes = new Map<string, AddressOutcome>();
      const counts: Record<AddressKind, number> = { local: 0, virtual: 0 };
      const won = new Set<string>();
      for (const d of desired.values()) {
        const failed = result.failedAdds.get(d.address);
        nextOutcomes.set(
          d.address,
          failed === undefined
            ? { kind: 'held', interface: d.interface }
            : { kind: 'failed', interface: d.interface, message: failed.message },
        );
        if (failed !== undefined) continue;
        counts[d.kind]++;
        if (d.kind === 'local') won.add(d.address);
      }
      for (const a of won) if (!wonBefore.has(a)) metrics.countElectionWon();
      wonBefore = won;
      metrics.setAddresses(counts);
      metrics.setElectionsWon(won.size);

      decision = next;
      outcomes = nextOutcomes;
      passes++;
      const nextPrints = new Map<string, string>();
      const changed: string[] = [];
      for (const [key, ann] of next.services) {
        const print = fingerprint(ann, nextOutcomes);
        nextPrints.set(key, print);
        if (prints.get(key) !== print) changed.push(key);
      }
      for (const key of prints.keys()) if (!nextPrints.has(key)) changed.push(key);
      prints = nextPrints;
      if (changed.length > 0) deps.onServicesChanged(changed);
      logger.debug('pass', {
        ms: Math.round(performance.now() - started),
        actions: actions.length,
        failures: result.failures.length,
        services: next.services.size,
        changed: changed.length,
      });
      return result.failures.length > 0
        ? { kind: 'retry', reason: `${result.failures.length} kernel operations failed` }
        : { kind: 'converged' };
    },
    decision: () => decision,
    outcomes: () => outcomes,
    passes: () => passes,
  };
}
