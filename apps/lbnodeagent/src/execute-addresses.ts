// The one place that changes the kernel: performs planned address actions in order. A failed action
// does not stop the others (each address is independent); failures are returned. Announcements
// (GARP / NA spawn a helper each and take about a second) start once every address is in place, run
// alongside the caller, and never hold up an address.
import type { AddressAction } from './plan-addresses.ts';
import type { NetworkFailure, NodeNetwork } from './node-network.ts';

export interface ActionFailure {
  readonly action: AddressAction;
  readonly error: NetworkFailure;
}

export interface AddressExecution {
  /** Addresses whose add failed, with why. */
  readonly failedAdds: ReadonlyMap<string, NetworkFailure>;
  readonly failures: readonly ActionFailure[];
  readonly done: readonly AddressAction[];
  /** Settles when every announcement was sent or failed (never rejects). */
  readonly announcements: Promise<{
    readonly sent: readonly AddressAction[];
    readonly failures: readonly ActionFailure[];
  }>;
}

export async function executeAddressActions(
  actions: readonly AddressAction[],
  network: NodeNetwork,
): Promise<AddressExecution> {
  const failedAdds = new Map<string, NetworkFailure>();
  const failures: ActionFailure[] = [];
  const done: AddressAction[] = [];
  const toAnnounce: AddressAction[] = [];
  for (const action of actions) {
    let result;
    switch (action.kind) {
      case 'ensure-link':
        result = await network.ensureLink(action.interface, action.linkKind);
        break;
      case 'remove':
        result = await network.removeAddress(action.spec);
        break;
      case 'add':
        result = await network.addAddress({ ...action.spec, local: action.local });
        if (!result.ok) failedAdds.set(action.spec.address, result.error);
        break;
      case 'announce':
        // Nothing to announce for an address that is not there.
        if (!failedAdds.has(action.spec.address)) toAnnounce.push(action);
        continue;
    }
    if (result.ok) done.push(action);
    else failures.push({ action, error: result.error });
  }
  const announcing = toAnnounce.map((action) =>
    action.kind === 'announce'
      ? network.announce(action.spec).then((r) => ({ action, error: r.ok ? undefined : r.error }))
      : Promise.resolve({ action, error: undefined }),
  );
  const announcements = Promise.all(announcing).then((all) => ({
    sent: all.filter((a) => a.error === undefined).map((a) => a.action),
    failures: all.flatMap((a) => (a.error === undefined ? [] : [{ action: a.action, error: a.error }])),
  }));
  return { failedAdds, failures, done, announcements };
}
