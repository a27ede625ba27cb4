// `kubectl purelb explain ns/svc`: why a Service has (or has not) its address, and which node has it.
// The allocation is decided again with ipam-core on the state a new allocator leader would rebuild
// (groups validated together, every Service's addresses imported oldest first), so the answer holds
// even when no allocator runs; the election of each local address is run again with
// @purelb/election over the node agents' membership Leases.
import { DEFAULT_SERVICE_GROUP, formatCount, formatGroupErrors, formatRangeCompact } from '@purelb/ipam-core';
import type { AllocationError, AllocationRequest, PortSpec } from '@purelb/ipam-core';
import { rebuildAllocationState } from './allocation-state.ts';
import type { AllocationState } from './allocation-state.ts';
import { announcementSection } from './explain-announcement.ts';
import type { ExplainSection } from './explain-announcement.ts';
import type { ClusterSnapshot } from './kube-objects.ts';
import { membersOf } from './members.ts';
import { ANNOTATIONS } from './names.ts';
import { serviceView } from './service-view.ts';
import type { ServiceView } from './service-view.ts';

export type { ExplainSection } from './explain-announcement.ts';

export interface Explanation {
  /** `allocated`: holds what it asks; `pending`: does not; `not-ours` / `missing`: nothing to explain. */
  readonly verdict: 'allocated' | 'pending' | 'not-ours' | 'missing';
  readonly sections: readonly ExplainSection[];
}

export interface ExplainInput {
  readonly key: string;
  readonly snapshot: ClusterSnapshot;
  /** The install namespace (where groups and membership Leases live), for messages. */
  readonly installNamespace: string;
  /** Wall clock, epoch ms: judges membership Leases. */
  readonly nowMs: number;
}

const ports = (list: readonly PortSpec[]): string =>
  list.length === 0 ? 'no ports' : list.map((p) => `${p.protocol}/${p.port}`).join(', ');

const conditionText = (name: string, c: ServiceView['allocated']): string =>
  c === undefined
    ? `no ${name} condition yet`
    : `${name}=${c.status} ${c.reason}${c.message === '' ? '' : `: ${c.message}`}`;

function askLines(view: ServiceView, request: AllocationRequest): string[] {
  const families = request.ipFamilies.length === 0 ? 'IPv4 then IPv6' : request.ipFamilies.join(', ');
  const group =
    request.group !== undefined
      ? `group "${request.group}" (${ANNOTATIONS.serviceGroup})`
      : request.requestedAddresses !== undefined
        ? 'the group whose pool holds the requested address'
        : `group "${DEFAULT_SERVICE_GROUP}" (no ${ANNOTATIONS.serviceGroup})`;
  const lines = [`asks for ${families} (${request.ipFamilyPolicy}) from ${group}, ${ports(view.ports)}`];
  if (request.requestedAddresses !== undefined)
    lines.push(`asks for the address(es) ${request.requestedAddresses.join(', ')}`);
  if (request.sharingKey !== undefined)
    lines.push(`sharing key "${request.sharingKey}" (${ANNOTATIONS.allowSharedIp})`);
  return lines;
}

function showLines(view: ServiceView): string[] {
  const shown = view.addresses.length === 0 ? 'no address' : view.addresses.map((a) => a.address).join(', ');
  const from = view.allocatedFrom === undefined ? '' : ` from group "${view.allocatedFrom}"`;
  return [`shows ${shown}${from}`, conditionText('Allocated', view.allocated)];
}

/** The group a request belongs to, as the allocator decides it (SPEC §3, ADR 0005). */
function groupOf(state: AllocationState, view: ServiceView, request: AllocationRequest): string {
  if (request.group !== undefined) return request.group;
  for (const address of request.requestedAddresses ?? []) {
    const where = state.ipam.locate(address);
    if (where !== undefined) return where.group;
  }
  if (request.requestedAddresses !== undefined && view.allocatedFrom !== undefined) return view.allocatedFrom;
  return DEFAULT_SERVICE_GROUP;
}

function groupSection(state: AllocationState, name: string, installNamespace: string): ExplainSection {
  const check = state.checks.get(name);
  if (check === undefined) {
    return { title: `Group "${name}"`, lines: [`there is no ServiceGroup "${name}" in namespace ${installNamespace}`] };
  }
  if (!check.ok)
    return { title: `Group "${name}"`, lines: [`invalid (${check.code}): ${formatGroupErrors(check.errors)}`] };
  const lines = (state.ipam.poolStats(name) ?? []).map((p) => {
    const kept = p.pool.avoidBuggyIPs || p.pool.exclude.length > 0 ? ' (keeps addresses back)' : '';
    return `${p.family} pool ${formatRangeCompact(p.pool.range)}${kept}: ${formatCount(p.allocated)} of ${formatCount(p.capacity)} in use, ${formatCount(p.available < 0n ? 0n : p.available)} free`;
  });
  return { title: `Group "${name}"`, lines: ['valid', ...lines] };
}

function otherService(views: ReadonlyMap<string, ServiceView>, key: string): string {
  const other = views.get(key);
  if (other === undefined) return key;
  const shown = other.addresses.map((a) => a.address).join(', ');
  const sharing = other.sharingKey === undefined ? 'no sharing key' : `sharing key "${other.sharingKey}"`;
  return `${key} (shows ${shown === '' ? 'no address' : shown}, ${sharing}, ${ports(other.ports)})`;
}

function hint(error: AllocationError): string {
  switch (error.code) {
    case 'PoolExhausted':
      return 'free an address (delete a Service of the group), or add or widen a pool';
    case 'AddressInUse':
      return `to share it, give both Services the same ${ANNOTATIONS.allowSharedIp} key and ports that do not collide; or ask for another address`;
    case 'PortConflict':
      return 'Services sharing an address must not use the same protocol and port';
    case 'GroupNotFound':
      return `create the ServiceGroup, or fix ${ANNOTATIONS.serviceGroup}`;
    case 'GroupInvalid':
      return 'fix the group (see its Ready condition: kubectl get sg -o wide)';
    case 'AddressNotInPool':
      return 'ask for an address inside a pool (an address a pool keeps back is not in it)';
    case 'FamilyUnavailable':
      return 'add a pool of that family to the group, or change spec.ipFamilies / ipFamilyPolicy';
    case 'InvalidAnnotation':
      return `fix ${ANNOTATIONS.addresses} or ${ANNOTATIONS.allowSharedIp}`;
  }
}

function decisionSection(input: {
  readonly state: AllocationState;
  readonly view: ServiceView;
  readonly request: AllocationRequest;
  readonly views: ReadonlyMap<string, ServiceView>;
}): { section: ExplainSection; allocated: boolean } {
  const { state, view, request, views } = input;
  const lines: string[] = [];
  for (const issue of state.issues) {
    if (issue.key === view.key && issue.code !== 'AddressOutsidePool')
      lines.push(`shown but not held: ${issue.message}`);
  }
  const outside = state.ipam.outsidePool().filter((o) => o.key === view.key);
  if (outside.length > 0) {
    for (const o of outside) lines.push(`AddressOutsidePool: ${o.message}`);
    lines.push(
      'the address is kept until the Service is changed or deleted; what to do: put it back in a pool, or ask for another address or group',
    );
    return { section: { title: 'Why not allocated', lines }, allocated: false };
  }
  const result = state.ipam.allocate(request);
  if (result.ok) {
    const got = result.value.addresses.map((a) => a.address).join(', ');
    const shown = view.addresses.map((a) => a.address).join(', ');
    const held = got === shown && view.allocated?.status === 'True';
    if (held) lines.push(`holds ${got} from group "${result.value.group ?? '?'}": nothing is pending`);
    else {
      lines.push(`PureLB would give it ${got} from group "${result.value.group ?? '?'}" now`);
      lines.push(
        'the allocator has not written that: is an allocator running and leading? (kubectl -n <install namespace> get lease purelb-allocator)',
      );
    }
    return { section: { title: 'Decision', lines }, allocated: held };
  }
  const error = result.error;
  lines.push(`${error.code}: ${error.message}`);
  if (error.code === 'AddressInUse' || error.code === 'PortConflict') {
    lines.push(`conflicting Service: ${otherService(views, error.otherKey)}`);
  }
  lines.push(`what to do: ${hint(error)}`);
  return { section: { title: 'Why pending', lines }, allocated: false };
}

function sharingSection(
  view: ServiceView,
  group: string,
  views: ReadonlyMap<string, ServiceView>,
): ExplainSection | undefined {
  if (view.sharingKey === undefined) return undefined;
  const peers = [...views.values()].filter(
    (v) => v.key !== view.key && v.handled && v.sharingKey === view.sharingKey && (v.allocatedFrom ?? group) === group,
  );
  const lines =
    peers.length === 0
      ? [`no other Service of group "${group}" carries the key "${view.sharingKey}"`]
      : peers.map((p) => `shared with ${otherService(views, p.key)}`);
  return { title: `Sharing key "${view.sharingKey}"`, lines };
}

export function explainService(input: ExplainInput): Explanation {
  const views = new Map(input.snapshot.services.map((s) => serviceView(s)).map((v) => [v.key, v]));
  const view = views.get(input.key);
  if (view === undefined) {
    return { verdict: 'missing', sections: [{ title: `Service ${input.key}`, lines: ['not found'] }] };
  }
  const head = `Service ${view.key}`;
  if (!view.handled) {
    const service = input.snapshot.services.find(
      (s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}` === view.key,
    );
    const why =
      service?.spec?.type !== 'LoadBalancer'
        ? `its type is ${service?.spec?.type ?? 'ClusterIP'}: PureLB handles LoadBalancer Services only`
        : `its loadBalancerClass is ${String(service.spec.loadBalancerClass)}: another controller handles it`;
    return { verdict: 'not-ours', sections: [{ title: head, lines: [why] }] };
  }
  const overview = [
    ...(view.defaultClass
      ? ['no loadBalancerClass: PureLB handles it (unless the allocator runs with --default-class=false)']
      : []),
    ...showLines(view),
  ];
  if (view.ask.kind === 'invalid') {
    return {
      verdict: 'pending',
      sections: [
        { title: head, lines: overview },
        {
          title: 'Why pending',
          lines: [
            `InvalidAnnotation: ${view.ask.message}`,
            `what to do: fix ${ANNOTATIONS.addresses} or spec.loadBalancerIP`,
          ],
        },
      ],
    };
  }
  const request = view.ask.request;
  const state = rebuildAllocationState(input.snapshot.groups, [...views.values()]);
  const group = groupOf(state, view, request);
  // Before the decision, which tries the request on the state.
  const groupInfo = groupSection(state, group, input.installNamespace);
  const decision = decisionSection({ state, view, request, views });
  const sharing = sharingSection(view, group, views);
  const members = membersOf(input.snapshot.leases, input.snapshot.nodes, input.nowMs);
  const announcements = view.addresses.map((a) =>
    announcementSection({ view, family: a.family, address: a.address }, members),
  );
  if (view.addresses.length > 0) {
    announcements.push({ title: 'Announced', lines: [conditionText('Announced', view.announced)] });
  }
  return {
    verdict: decision.allocated ? 'allocated' : 'pending',
    sections: [
      { title: head, lines: [...askLines(view, request), ...overview] },
      groupInfo,
      decision.section,
      ...(sharing === undefined ? [] : [sharing]),
      ...announcements,
    ],
  };
}

export function formatExplanation(explanation: Explanation): string {
  return explanation.sections.map((s) => [s.title, ...s.lines.map((l) => `  ${l}`)].join('\n')).join('\n\n');
}
