// Decides what one Service should show, updating the allocation state on the way. Synchronous and
// free of I/O: the allocation state is in memory, so a decision is atomic with respect to others.
import { DEFAULT_SERVICE_GROUP, boundText, formatAddress, parseAddress } from '@purelb/ipam-core';
import type { AllocatedAddress, Allocation, Ipam, IpFamily } from '@purelb/ipam-core';
import type { ObservedService } from './observe-service.ts';
import type { ServiceDesire } from './plan-service.ts';
import type { ServiceIntent } from './service-to-request.ts';

export interface ServiceDecision {
  /** What the Service should show; undefined when the Service no longer exists. */
  readonly desire: ServiceDesire | undefined;
  /** Addresses the state gave up (pending Services may now fit). */
  readonly released: readonly AllocatedAddress[];
  /** True when the key now holds something it did not hold before. */
  readonly assigned: boolean;
  /** Groups whose counts may have changed. */
  readonly groups: readonly string[];
}

const FAMILY_ORDER: readonly IpFamily[] = ['IPv4', 'IPv6'];

function ordered(addresses: readonly AllocatedAddress[], order: readonly IpFamily[]): AllocatedAddress[] {
  const rank = (f: IpFamily): number => {
    const i = order.indexOf(f);
    return i === -1 ? order.length : i;
  };
  return [...addresses].sort((a, b) => rank(a.family) - rank(b.family));
}

function parseObserved(observed: ObservedService | undefined): AllocatedAddress[] {
  const out: AllocatedAddress[] = [];
  for (const entry of observed?.ingress ?? []) {
    if (entry.ip === undefined) continue;
    const parsed = parseAddress(entry.ip);
    if (parsed.ok) out.push({ family: parsed.value.family, address: formatAddress(parsed.value) });
  }
  return out;
}

const groupsOf = (...groups: (string | undefined)[]): string[] => [
  ...new Set(groups.filter((g): g is string => g !== undefined)),
];

function describe(addresses: readonly AllocatedAddress[]): string {
  return addresses.map((a) => a.address).join(', ');
}

/** One Service as the decision sees it: its key, what it asks for, what it shows (both undefined when it is gone). */
export interface ServiceInput {
  readonly key: string;
  readonly intent: ServiceIntent | undefined;
  readonly observed: ObservedService | undefined;
}

type HoldDesire = Extract<ServiceDesire, { kind: 'hold' }>;

/** Decides for a Service that is absent (`intent` undefined), not ours, invalid, or asking for addresses. */
export function decideService(ipam: Ipam, input: ServiceInput): ServiceDecision {
  const { key, intent, observed } = input;
  const before = ipam.allocationOf(key);
  if (intent === undefined || intent.kind === 'ignore') {
    const released = ipam.release(key);
    const desire: ServiceDesire | undefined =
      intent === undefined ? undefined : { kind: 'release', released: released.map((a) => a.address) };
    return { desire, released, assigned: false, groups: groupsOf(before?.group) };
  }

  if (intent.kind === 'invalid') {
    // Nothing moves while the Service asks for something that cannot be understood.
    const shown = before !== undefined && before.addresses.length > 0 ? before.addresses : parseObserved(observed);
    const desire: ServiceDesire = {
      kind: 'hold',
      addresses: ordered(shown, observedOrder(observed)),
      group: before?.group ?? observed?.allocatedFrom,
      status: 'False',
      reason: intent.reason,
      message: intent.message,
      deprecatedLoadBalancerIP: undefined,
    };
    return { desire, released: [], assigned: false, groups: [] };
  }

  const { request, familyOrder } = intent;
  const hold = (shown: Pick<HoldDesire, 'addresses' | 'group' | 'status' | 'reason' | 'message'>): ServiceDesire => ({
    ...shown,
    kind: 'hold',
    addresses: ordered(shown.addresses, familyOrder),
    deprecatedLoadBalancerIP: intent.deprecatedLoadBalancerIP,
  });
  const requested = new Map<IpFamily, string>();
  for (const text of request.requestedAddresses ?? []) {
    const parsed = parseAddress(text);
    if (parsed.ok) requested.set(parsed.value.family, formatAddress(parsed.value));
  }
  /** The Service asks for another address of this family than `address`. */
  const movesAway = (a: AllocatedAddress): boolean => {
    const wantedAddress = requested.get(a.family);
    return wantedAddress !== undefined && wantedAddress !== a.address;
  };
  const wanted = (f: IpFamily): boolean =>
    request.ipFamilies.length === 0 || request.ipFamilies.includes(f) || request.ipFamilyPolicy === 'RequireDualStack';

  // Addresses the Service shows but does not hold (after a restart they collided on import, or the
  // status was written by someone else): adopt them when free, never silently replace them.
  const blocked: { address: AllocatedAddress; message: string }[] = [];
  let adopted = false;
  for (const shown of parseObserved(observed)) {
    const held = ipam.allocationOf(key)?.addresses ?? [];
    if (held.some((h) => h.family === shown.family)) continue;
    if (requested.has(shown.family) || !wanted(shown.family)) continue;
    const report = ipam.importAllocations([
      {
        key,
        addresses: [shown.address],
        ports: request.ports ?? [],
        ...(observed?.allocatedFrom === undefined ? {} : { group: observed.allocatedFrom }),
        ...(request.sharingKey === undefined ? {} : { sharingKey: request.sharingKey }),
      },
    ]);
    const collision = report.issues.find((i) => i.code === 'AddressCollision');
    if (collision !== undefined) {
      blocked.push({
        address: shown,
        message: `address ${shown.address} is held by "${collision.heldBy}"; it is not reassigned (remove one of the Services or ask for another address)`,
      });
    } else if (report.imported > 0) {
      adopted = true;
    }
  }
  const current = ipam.allocationOf(key);
  if (blocked.length > 0) {
    const addresses = [...(current?.addresses ?? []), ...blocked.map((b) => b.address)];
    const message = blocked.map((b) => b.message).join('; ');
    const desire = hold({
      addresses,
      group: current?.group ?? observed?.allocatedFrom,
      status: 'False',
      reason: 'AddressInUse',
      message,
    });
    return { desire, released: [], assigned: adopted, groups: groupsOf(current?.group) };
  }

  // Held addresses outside every pool of their group stay where they are until the Service asks
  // for something else (another address or another group).
  const wantGroup = wantedGroup(ipam, { named: request.group, requested: [...requested.values()], current });
  if (current !== undefined && (current.group === undefined || current.group === wantGroup)) {
    const outside = current.addresses.filter(
      (a) => !movesAway(a) && wanted(a.family) && !inGroupPool(ipam, a, current.group),
    );
    if (outside.length > 0) {
      const where = current.group === undefined ? 'any service group' : `service group ${boundText(current.group)}`;
      const message = `${describe(outside)} ${outside.length === 1 ? 'lies' : 'lie'} outside every pool of ${where}; the address is kept until the Service is changed or deleted`;
      const desire = hold({
        addresses: current.addresses,
        group: current.group,
        status: 'False',
        reason: 'AddressOutsidePool',
        message,
      });
      return { desire, released: [], assigned: adopted, groups: groupsOf(current.group) };
    }
  }

  const result = ipam.allocate(request);
  if (!result.ok) {
    const now = ipam.allocationOf(key);
    const desire = hold({
      addresses: now?.addresses ?? [],
      group: now?.group,
      status: 'False',
      reason: result.error.code,
      message: result.error.message,
    });
    return { desire, released: [], assigned: adopted, groups: groupsOf(now?.group) };
  }
  const { value: allocation } = result;
  const from = allocation.group === undefined ? '' : ` from service group ${boundText(allocation.group)}`;
  const desire = hold({
    addresses: allocation.addresses,
    group: allocation.group,
    status: 'True',
    reason: 'Allocated',
    message: `Allocated ${describe(ordered(allocation.addresses, familyOrder))}${from}`,
  });
  return {
    desire,
    released: result.released,
    assigned: adopted || result.changed,
    groups: groupsOf(before?.group, allocation.group),
  };
}

/**
 * The group a request belongs to (SPEC §3): the one it names; else the valid group whose pool holds a
 * requested address; else, for requested addresses the key already holds outside every pool, the
 * group it holds them from; else `default`. The same on every replica, whatever history led here.
 */
function wantedGroup(
  ipam: Ipam,
  {
    named,
    requested,
    current,
  }: { named: string | undefined; requested: readonly string[]; current: Allocation | undefined },
): string | undefined {
  if (named !== undefined) return named;
  if (requested.length === 0) return DEFAULT_SERVICE_GROUP;
  for (const address of requested) {
    const where = ipam.locate(address);
    if (where !== undefined) return where.group;
  }
  const holdsAll = requested.every((address) => current?.addresses.some((a) => a.address === address) === true);
  return holdsAll ? current?.group : DEFAULT_SERVICE_GROUP;
}

function inGroupPool(ipam: Ipam, address: AllocatedAddress, group: string | undefined): boolean {
  const where = ipam.locate(address.address);
  return where !== undefined && (group === undefined || where.group === group);
}

function observedOrder(observed: ObservedService | undefined): IpFamily[] {
  const order: IpFamily[] = [];
  for (const a of parseObserved(observed)) if (!order.includes(a.family)) order.push(a.family);
  for (const f of FAMILY_ORDER) if (!order.includes(f)) order.push(f);
  return order;
}
