// One term of leadership: rebuild the allocation state from the caches (groups, then every existing
// allocation), then reconcile Services and ServiceGroups until leadership ends.
import { createIpam, validateServiceGroups } from '@purelb/ipam-core';
import type { GroupCheck, GroupInput, Ipam } from '@purelb/ipam-core';
import { createWorkQueue } from '@purelb/k8s-watch';
import type { Clock, ReconcileOutcome, ResourceWatch, WorkQueue } from '@purelb/k8s-watch';
import type { Subscription } from 'rxjs';
import { decideService } from './decide-service.ts';
import { executeGroupPlan, executeServicePlan } from './execute-plan.ts';
import type { ExecuteDeps, ExecuteOutcome } from './execute-plan.ts';
import type { ServiceGroupObject, ServiceObject } from './kube-objects.ts';
import { groupGaugeInputs } from './leader-gauges.ts';
import type { PendingReason } from './leader-gauges.ts';
import { errorFields } from './logger.ts';
import type { Logger } from './logger.ts';
import type { AllocatorMetrics } from './metrics.ts';
import { formatTime, observeService } from './observe-service.ts';
import { planGroupStatus } from './plan-group-status.ts';
import { planService } from './plan-service.ts';
import { serviceToExisting, serviceToRequest } from './service-to-request.ts';
import type { ServiceFilter } from './service-to-request.ts';

export interface SessionDeps {
  readonly services: ResourceWatch<ServiceObject>;
  readonly groups: ResourceWatch<ServiceGroupObject>;
  readonly namespace: string;
  readonly filter: ServiceFilter;
  readonly execute: Omit<ExecuteDeps, 'canWrite'>;
  /** Whether this replica still leads (checked before every write). */
  readonly isLeader: () => boolean;
  readonly logger: Logger;
  readonly metrics: AllocatorMetrics;
  readonly clock: Clock;
  /** Wall-clock epoch ms, for condition timestamps. */
  readonly now: () => number;
  /** Reconciles of different Services at once. */
  readonly concurrency: number;
  /** Pause before writing a group's status, so that a burst of allocations gives one write. */
  readonly groupStatusDelayMs: number;
}

export interface LeaderSession {
  /** Resolves once the state is rebuilt and reconciling has begun (false if stopped first). */
  readonly started: Promise<boolean>;
  stop(): Promise<void>;
}

function groupInputs(snapshot: ReadonlyMap<string, ServiceGroupObject>): GroupInput[] {
  const inputs: GroupInput[] = [];
  for (const obj of snapshot.values()) {
    const name = obj.metadata?.name;
    if (name === undefined) continue;
    inputs.push({ name, createdAt: obj.metadata?.creationTimestamp ?? '', spec: obj.spec });
  }
  return inputs;
}

export function startLeaderSession(deps: SessionDeps): LeaderSession {
  const { services, groups, logger, metrics } = deps;
  let active = true;
  const canWrite = (): boolean => active && deps.isLeader();
  const executeDeps: ExecuteDeps = { ...deps.execute, canWrite };
  const ipam: Ipam = createIpam();
  /** Services whose condition this term decided is False, with the reason: the pending gauge's state. */
  const pending = new Map<string, PendingReason>();
  let checks = new Map<string, GroupCheck>();
  let groupsFingerprint = '';
  const subscriptions: Subscription[] = [];

  /** Revalidates the groups when their specs changed (not on our own status writes); true if they did. */
  const applyGroups = (): boolean => {
    const inputs = groupInputs(groups.current() ?? new Map());
    const fingerprint = JSON.stringify(inputs);
    if (fingerprint === groupsFingerprint) return false;
    groupsFingerprint = fingerprint;
    const list = validateServiceGroups(inputs);
    checks = new Map(list.map((c) => [c.name, c]));
    const outside = ipam.setGroups(list);
    for (const o of outside)
      logger.warn('address-outside-pool', { key: o.key, address: o.address, message: o.message });
    logger.info('groups-applied', { groups: list.length, invalid: list.filter((c) => !c.ok).map((c) => c.name) });
    return true;
  };

  const outcomeOf = (r: ExecuteOutcome, key: string): ReconcileOutcome | undefined => {
    switch (r.kind) {
      case 'done':
        return undefined;
      case 'not-leader':
      case 'gone':
        return { kind: 'converged' };
      case 'failed':
        metrics.countWriteFailure(r.action, r.error.code);
        logger.warn('write-failed', {
          key,
          action: r.action,
          code: r.error.code,
          status: r.error.status,
          message: r.error.message,
        });
        return r.error.code === 'Invalid' || r.error.code === 'Forbidden'
          ? { kind: 'terminal', reason: r.error.message }
          : { kind: 'retry', reason: r.error.message };
    }
  };

  const logWrites = (r: ExecuteOutcome, key: string): void => {
    if (r.kind === 'done' && r.writes > 0) logger.debug('written', { key, writes: r.writes });
    if (r.kind === 'not-leader') logger.info('write-skipped', { key, why: 'not the leader' });
  };

  const reconcileService = async (key: string): Promise<ReconcileOutcome> => {
    if (!canWrite()) return { kind: 'converged' };
    const obj = services.current()?.get(key);
    const intent = obj === undefined ? undefined : serviceToRequest(obj, deps.filter);
    const observed = obj === undefined ? undefined : observeService(obj);
    const decision = decideService(ipam, { key, intent, observed });
    const desired = decision.desire;
    if (desired?.kind === 'hold' && desired.status === 'False' && desired.reason !== 'Allocated')
      pending.set(key, desired.reason);
    else pending.delete(key);
    for (const g of decision.groups) groupQueue.add(g);
    if (decision.released.length > 0) {
      metrics.countRelease();
      logger.info('address-released', { key, addresses: decision.released.map((a) => a.address) });
      queue.requeueAll();
    }
    if (obj === undefined || observed === undefined || decision.desire === undefined) return { kind: 'converged' };
    const desire = decision.desire;
    if (decision.assigned && desire.kind === 'hold') {
      metrics.countAllocation(desire.group ?? '');
      logger.info('address-assigned', { key, addresses: desire.addresses.map((a) => a.address), group: desire.group });
    }
    const actions = planService(observed, desire, formatTime(deps.now()));
    for (const a of actions) {
      if (a.kind === 'event' && a.type === 'Warning') {
        metrics.countRejection(a.reason);
        logger.warn('allocation-failed', { key, reason: a.reason, message: a.message });
      }
    }
    const result = await executeServicePlan(actions, observed, executeDeps);
    logWrites(result, key);
    const failed = outcomeOf(result, key);
    if (failed !== undefined) return failed;
    if (desire.kind === 'hold' && desire.status === 'False') return { kind: 'terminal', reason: desire.reason };
    return { kind: 'converged' };
  };

  const heldByGroup = (name: string): { IPv4: bigint; IPv6: bigint } => {
    const seen = { IPv4: new Set<string>(), IPv6: new Set<string>() };
    for (const a of ipam.allocations()) {
      if (a.group !== name) continue;
      for (const addr of a.addresses) seen[addr.family].add(addr.address);
    }
    return { IPv4: BigInt(seen.IPv4.size), IPv6: BigInt(seen.IPv6.size) };
  };

  const publishPoolUsage = (): void => {
    metrics.leaderState.setGroups(groupGaugeInputs(checks.values(), ipam));
    metrics.setPoolUsage(
      [...checks.values()].flatMap((c) => {
        const stats = ipam.groupStats(c.name);
        if (stats === undefined) return [];
        return (['IPv4', 'IPv6'] as const).map((family) => ({
          group: c.name,
          family,
          capacity: stats[family].capacity.toString(),
          allocated: stats[family].allocated.toString(),
        }));
      }),
    );
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      deps.clock.setTimer(ms, resolve);
    });

  const reconcileGroup = async (name: string): Promise<ReconcileOutcome> => {
    if (deps.groupStatusDelayMs > 0) await sleep(deps.groupStatusDelayMs);
    if (!canWrite()) return { kind: 'converged' };
    publishPoolUsage();
    const obj = groups.current()?.get(`${deps.namespace}/${name}`);
    const check = checks.get(name);
    if (obj === undefined || check === undefined) return { kind: 'converged' };
    const actions = planGroupStatus(
      {
        generation: obj.metadata?.generation,
        check,
        stats: ipam.groupStats(name),
        held: check.ok ? { IPv4: 0n, IPv6: 0n } : heldByGroup(name),
        observed: obj.status,
      },
      formatTime(deps.now()),
    );
    for (const a of actions)
      if (a.kind === 'event') logger.warn('group-invalid', { group: name, reason: a.reason, message: a.message });
    const result = await executeGroupPlan(
      actions,
      { namespace: deps.namespace, name, uid: obj.metadata?.uid },
      executeDeps,
    );
    logWrites(result, `group:${name}`);
    return outcomeOf(result, `group:${name}`) ?? { kind: 'converged' };
  };

  const onSettled =
    (kind: 'service' | 'group') => (s: { key: string; outcome: ReconcileOutcome; durationMs: number }) => {
      if (kind === 'service') metrics.observeReconcile(s.durationMs / 1000, s.outcome.kind);
      if (s.outcome.kind === 'retry') logger.debug('reconcile-retry', { kind, key: s.key, reason: s.outcome.reason });
    };
  const queue: WorkQueue<string> = createWorkQueue<string>({
    reconcile: reconcileService,
    concurrency: deps.concurrency,
    clock: deps.clock,
    onSettled: onSettled('service'),
  });
  const groupQueue: WorkQueue<string> = createWorkQueue<string>({
    reconcile: reconcileGroup,
    concurrency: 2,
    clock: deps.clock,
    onSettled: onSettled('group'),
  });

  const start = async (): Promise<boolean> => {
    const [servicesSynced, groupsSynced] = await Promise.all([services.whenSynced(), groups.whenSynced()]);
    if (!active || !servicesSynced || !groupsSynced) return false;
    applyGroups();
    // Restart safety: every existing allocation is taken before anything new is given out.
    const snapshot = services.current() ?? new Map<string, ServiceObject>();
    const existing = [...snapshot.values()]
      .filter((s) => serviceToRequest(s, deps.filter).kind !== 'ignore')
      .sort((a, b) => {
        const ta = a.metadata?.creationTimestamp ?? '';
        const tb = b.metadata?.creationTimestamp ?? '';
        if (ta !== tb) return ta < tb ? -1 : 1;
        const ka = `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`;
        const kb = `${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      })
      .flatMap((s) => {
        const e = serviceToExisting(s);
        return e === undefined ? [] : [e];
      });
    const report = ipam.importAllocations(existing);
    logger.info('allocations-imported', {
      services: existing.length,
      imported: report.imported,
      issues: report.issues.length,
    });
    for (const issue of report.issues)
      logger.warn('import-issue', { code: issue.code, key: issue.key, address: issue.address, message: issue.message });

    // The watches replay their latest update on subscription: what the snapshots read above already cover.
    const groupSnapshot = groups.current();
    subscriptions.push(
      groups.updates$.subscribe((u) => {
        if (u.snapshot === groupSnapshot) return;
        if (applyGroups()) {
          groupQueue.addAll(checks.keys());
          queue.addAll(services.current()?.keys() ?? []);
          return;
        }
        // Only statuses changed (ours, or a cache catching up): make sure each still says the truth.
        for (const key of u.changed) groupQueue.add(key.slice(key.indexOf('/') + 1));
      }),
      services.updates$.subscribe((u) => {
        if (u.snapshot === snapshot) return;
        queue.addAll(u.changed);
      }),
    );
    groupQueue.addAll(checks.keys());
    queue.addAll(snapshot.keys());
    publishPoolUsage();
    metrics.leaderState.setPendingSource(() => {
      const counts = new Map<PendingReason, number>();
      for (const reason of pending.values()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
      return counts;
    });
    return true;
  };

  const started = start().catch((err: unknown) => {
    logger.error('session-start-failed', errorFields(err));
    return false;
  });

  return {
    started,
    async stop() {
      active = false;
      for (const s of subscriptions) s.unsubscribe();
      await Promise.all([queue.stop(), groupQueue.stop()]);
      // A replica that does not lead exports none of the leader's gauges.
      metrics.leaderState.clear();
      metrics.setPoolUsage([]);
      pending.clear();
    },
  };
}
