// SPEC §4: one request against the state. Plans every family first against the unchanged state and
// applies only when all of them can be satisfied, so a failure changes nothing.
import { parseAddress } from './address.ts';
import type { IpFamily } from './address.ts';
import type { AllocatedAddress, AllocationError, AllocationRequest, AllocationResult, PortSpec } from './allocation.ts';
import { chooseFamilies } from './choose-families.ts';
import type { AddressEntry, FamilySpace, Value } from './family-space.ts';
import { familyIndex, findPortCollision, samePorts, toAllocatedAddress, toAllocation } from './ipam-state.ts';
import type { FamilyIndex, GroupState, IpamState, KeyRecord } from './ipam-state.ts';

type Plan =
  | { readonly kind: 'keep'; readonly fi: FamilyIndex; readonly entry: AddressEntry }
  | { readonly kind: 'join'; readonly fi: FamilyIndex; readonly entry: AddressEntry }
  | { readonly kind: 'take'; readonly fi: FamilyIndex; readonly value: Value }
  | { readonly kind: 'lowest'; readonly fi: FamilyIndex };

interface Wanted {
  readonly key: string;
  readonly group: string;
  readonly sharingKey: string | undefined;
  readonly ports: readonly PortSpec[];
}

const FAMILIES: readonly [IpFamily, IpFamily] = ['IPv4', 'IPv6'];

const invalidAnnotation = (message: string): AllocationError => ({ code: 'InvalidAnnotation', message });

function groupError(name: string, gs: GroupState | undefined): AllocationError {
  if (gs === undefined) return { code: 'GroupNotFound', group: name, message: `service group "${name}" does not exist` };
  const why = gs.check.ok ? '' : ` (${gs.check.reason})`;
  return { code: 'GroupInvalid', group: name, message: `service group "${name}" is invalid${why}` };
}

/** Whether `want` may use `entry` next to its other users; undefined when it may. */
function checkSharing(state: IpamState, entry: AddressEntry, want: Wanted): AllocationError | undefined {
  for (const other of entry.users) {
    if (other === want.key) continue;
    if (want.sharingKey === undefined || entry.sharingKey !== want.sharingKey) {
      const why = want.sharingKey === undefined ? 'and this key has no sharing key' : `under another sharing key`;
      return { code: 'AddressInUse', address: entry.text, otherKey: other, message: `address ${entry.text} is in use by "${other}" ${why}` };
    }
    const otherPorts = state.keys.get(other)?.ports ?? [];
    const port = findPortCollision(want.ports, otherPorts);
    if (port !== undefined) {
      return {
        code: 'PortConflict',
        address: entry.text,
        otherKey: other,
        port,
        message: `port ${port.protocol}/${port.port} on ${entry.text} is already used by "${other}"`,
      };
    }
  }
  return undefined;
}

const hasOtherUsers = (entry: AddressEntry, key: string): boolean => entry.users.some((u) => u !== key);

function planFamily(
  state: IpamState,
  fi: FamilyIndex,
  rec: KeyRecord | undefined,
  requested: Value | undefined,
  want: Wanted,
  gs: GroupState | undefined,
): Plan | AllocationError {
  const space: FamilySpace = state.spaces[fi];
  const held = rec?.entries[fi];
  const bound = want.sharingKey === undefined ? undefined : space.boundTo(want.group, want.sharingKey);
  const boundElsewhere = bound !== undefined && hasOtherUsers(bound, want.key) ? bound : undefined;
  if (requested !== undefined) {
    const entry = held?.value === requested ? held : space.held.get(requested);
    if (boundElsewhere !== undefined && boundElsewhere !== entry) {
      return invalidAnnotation(
        `sharing key "${want.sharingKey ?? ''}" is bound to ${boundElsewhere.text} in group "${want.group}", not to the requested ${space.format(requested)}`,
      );
    }
    if (entry === undefined) return { kind: 'take', fi, value: requested };
    const error = checkSharing(state, entry, want);
    if (error !== undefined) return error;
    return entry === held ? { kind: 'keep', fi, entry } : { kind: 'join', fi, entry };
  }
  if (boundElsewhere !== undefined) {
    const error = checkSharing(state, boundElsewhere, want);
    if (error !== undefined) return error;
    return boundElsewhere === held ? { kind: 'keep', fi, entry: held } : { kind: 'join', fi, entry: boundElsewhere };
  }
  if (held !== undefined && (rec?.group === undefined || rec.group === want.group) && checkSharing(state, held, want) === undefined) {
    return { kind: 'keep', fi, entry: held };
  }
  if (gs?.check.ok !== true) return groupError(want.group, gs);
  if (space.lowest(gs.pools[fi]) === undefined) {
    const family = FAMILIES[fi];
    return { code: 'PoolExhausted', group: want.group, family, message: `no free ${family} address left in service group "${want.group}"` };
  }
  return { kind: 'lowest', fi };
}

function apply(state: IpamState, rec: KeyRecord, plan: Plan, want: Wanted, gs: GroupState | undefined, released: AllocatedAddress[]): boolean {
  const space = state.spaces[plan.fi];
  const held = rec.entries[plan.fi];
  if (plan.kind === 'keep') {
    if (plan.entry.users.length === 1 && (plan.entry.sharingKey !== want.sharingKey || plan.entry.group !== want.group)) {
      space.rekey(plan.entry, want.group, want.sharingKey);
    }
    return false;
  }
  if (held !== undefined) {
    space.leave(held, rec.key);
    released.push(toAllocatedAddress(held));
  }
  let entry: AddressEntry | undefined;
  switch (plan.kind) {
    case 'join':
      space.join(plan.entry, rec.key);
      entry = plan.entry;
      break;
    case 'take':
      entry = space.hold(plan.value, rec.key, want.group, want.sharingKey, true);
      break;
    case 'lowest':
      entry = space.holdLowest(gs?.pools[plan.fi] ?? [], rec.key, want.group, want.sharingKey);
      break;
  }
  if (entry === undefined) throw new Error('ipam-core: planned address vanished');
  rec.entries[plan.fi] = entry;
  return true;
}

/** Parses requested addresses into one value per family. */
function parseRequested(state: IpamState, texts: readonly string[]): [Value | undefined, Value | undefined] | AllocationError {
  const out: [Value | undefined, Value | undefined] = [undefined, undefined];
  for (const text of texts) {
    const parsed = parseAddress(text);
    if (!parsed.ok) return invalidAnnotation(`requested address ${parsed.error}`);
    const fi = familyIndex(parsed.value.family);
    const space = state.spaces[fi];
    const value = space.toValue(parsed.value.value);
    const before = out[fi];
    if (before !== undefined && before !== value) {
      return invalidAnnotation(`more than one ${parsed.value.family} address requested (${space.format(before)}, ${space.format(value)})`);
    }
    out[fi] = value;
  }
  return out;
}

/** The group the requested addresses lie in (undefined = none decides), or why they cannot be used. */
function groupOfRequested(
  state: IpamState,
  requested: readonly (Value | undefined)[],
  rec: KeyRecord | undefined,
  namedGroup: string | undefined,
): string | undefined | AllocationError {
  let group: string | undefined;
  let groupAddress = '';
  for (const fi of [0, 1] as const) {
    const v = requested[fi];
    if (v === undefined) continue;
    const space = state.spaces[fi];
    const pool = space.locate(v);
    const text = space.format(v);
    if (pool === undefined) {
      if (rec?.entries[fi]?.value === v) continue; // the key's own address, kept even outside every pool
      const named = namedGroup === undefined ? undefined : state.groups.get(namedGroup);
      if (named !== undefined && !named.check.ok) return groupError(named.check.name, named);
      return { code: 'AddressNotInPool', address: text, message: `address ${text} is not in any pool of a valid service group` };
    }
    if (group !== undefined && group !== pool.group) {
      return invalidAnnotation(`requested addresses ${groupAddress} and ${text} are in different service groups ("${group}", "${pool.group}")`);
    }
    group = pool.group;
    groupAddress = text;
  }
  return group;
}

const isError = (x: unknown): x is AllocationError => typeof x === 'object' && x !== null && 'code' in x;

export function allocate(state: IpamState, request: AllocationRequest): AllocationResult {
  const fail = (error: AllocationError): AllocationResult => ({ ok: false, error });
  if (request.key === '') return fail(invalidAnnotation('the key is empty'));
  const rec = state.keys.get(request.key);
  const requested = parseRequested(state, request.requestedAddresses ?? []);
  if (isError(requested)) return fail(requested);
  const fromAddresses = groupOfRequested(state, requested, rec, request.group);
  if (isError(fromAddresses)) return fail(fromAddresses);
  const sharing = request.sharingKey?.trim();
  const want: Wanted = {
    key: request.key,
    group: fromAddresses ?? request.group ?? 'default',
    sharingKey: sharing === undefined || sharing === '' ? undefined : sharing,
    ports: request.ports ?? [],
  };
  const gs = state.groups.get(want.group);
  const valid = gs?.check.ok === true;
  const recInGroup = rec !== undefined && (rec.group === undefined || rec.group === want.group);
  if (!valid && !recInGroup) return fail(groupError(want.group, gs));
  const groupHas = (f: IpFamily): boolean => {
    const fi = familyIndex(f);
    return valid ? gs.pools[fi].length > 0 : recInGroup && rec.entries[fi] !== undefined;
  };
  const requestedFamilies = FAMILIES.filter((_, fi) => requested[fi] !== undefined);
  const choice = chooseFamilies(request.ipFamilyPolicy, request.ipFamilies, requestedFamilies, groupHas);
  if (!choice.ok) {
    if (!valid) return fail(groupError(want.group, gs));
    const family = choice.missing;
    return fail({ code: 'FamilyUnavailable', group: want.group, family, message: `service group "${want.group}" has no ${family} pool` });
  }
  for (const f of requestedFamilies) {
    if (!choice.families.includes(f)) {
      const text = state.spaces[familyIndex(f)].format(requested[familyIndex(f)] as Value);
      return fail(invalidAnnotation(`requested address ${text} is ${f} but the service gets ${choice.families.join(' and ')} only`));
    }
  }
  const plans: Plan[] = [];
  for (const f of choice.families) {
    const fi = familyIndex(f);
    const plan = planFamily(state, fi, rec, requested[fi], want, gs);
    if ('code' in plan) return fail(plan);
    plans.push(plan);
  }
  return commit(state, rec, plans, want, gs, choice.families);
}

function commit(
  state: IpamState,
  existing: KeyRecord | undefined,
  plans: readonly Plan[],
  want: Wanted,
  gs: GroupState | undefined,
  families: readonly IpFamily[],
): AllocationResult {
  const rec: KeyRecord = existing ?? { key: want.key, group: want.group, sharingKey: want.sharingKey, ports: want.ports, entries: [undefined, undefined] };
  if (existing === undefined) state.keys.set(want.key, rec);
  const released: AllocatedAddress[] = [];
  let changed = existing === undefined;
  for (const plan of plans) changed = apply(state, rec, plan, want, gs, released) || changed;
  for (const fi of [0, 1] as const) {
    const held = rec.entries[fi];
    if (held === undefined || families.includes(FAMILIES[fi])) continue;
    state.spaces[fi].leave(held, rec.key);
    released.push(toAllocatedAddress(held));
    rec.entries[fi] = undefined;
    changed = true;
  }
  if (rec.group !== want.group || rec.sharingKey !== want.sharingKey || !samePorts(rec.ports, want.ports)) {
    rec.group = want.group;
    rec.sharingKey = want.sharingKey;
    rec.ports = want.ports;
    changed = true;
  }
  return { ok: true, allocation: toAllocation(rec), changed, released };
}
