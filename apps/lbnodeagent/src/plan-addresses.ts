// Desired addresses vs what the kernel shows → the kernel actions that converge them. Pure.
// Only addresses marked ours are ever removed; an address someone else put where we want ours
// counts as present and is left alone.
import type { DesiredAddress } from './decide-node.ts';
import type { AddressSpec, NetworkView } from './node-network.ts';

export type AddressAction =
  /** Create the virtual interface if missing and bring it up. */
  | { readonly kind: 'ensure-link'; readonly interface: string; readonly linkKind: string }
  | { readonly kind: 'remove'; readonly spec: AddressSpec }
  | { readonly kind: 'add'; readonly spec: AddressSpec; readonly local: boolean; readonly services: readonly string[] }
  /** Gratuitous ARP / unsolicited NA for a local address just added. */
  | { readonly kind: 'announce'; readonly spec: AddressSpec };

export interface PlanAddressesInput {
  readonly desired: ReadonlyMap<string, DesiredAddress>;
  readonly view: NetworkView;
  readonly virtualInterface: string;
  readonly linkKind: string;
  readonly sendGarp: boolean;
}

const specOf = (a: {
  interface: string;
  family: DesiredAddress['family'];
  address: string;
  prefixLength: number;
}): AddressSpec => ({
  interface: a.interface,
  family: a.family,
  address: a.address,
  prefixLength: a.prefixLength,
});

/** Removes first (an address moving between interfaces or prefix lengths), then adds; converged → `[]`. */
export function planAddresses(input: PlanAddressesInput): AddressAction[] {
  const { desired, view } = input;
  const actions: AddressAction[] = [];
  const link = view.links.find((l) => l.name === input.virtualInterface);
  if (link?.up !== true)
    actions.push({ kind: 'ensure-link', interface: input.virtualInterface, linkKind: input.linkKind });

  const satisfied = new Set<string>();
  for (const a of view.addresses) {
    const want = desired.get(a.address);
    const matches = want !== undefined && want.interface === a.interface;
    if (!a.ours) {
      // Someone else's copy on the interface we want: present, and never ours to touch.
      if (matches) satisfied.add(a.address);
      continue;
    }
    if (matches && want.prefixLength === a.prefixLength) satisfied.add(a.address);
    else actions.push({ kind: 'remove', spec: specOf(a) });
  }
  for (const want of [...desired.values()].sort((x, y) =>
    x.address < y.address ? -1 : x.address > y.address ? 1 : 0,
  )) {
    if (satisfied.has(want.address)) continue;
    const local = want.kind === 'local';
    actions.push({ kind: 'add', spec: specOf(want), local, services: want.services });
    if (local && input.sendGarp && want.announce) actions.push({ kind: 'announce', spec: specOf(want) });
  }
  return actions;
}
