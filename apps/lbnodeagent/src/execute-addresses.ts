// The one place that changes the kernel: performs planned address actions in order. A failed action
// does not stop the others (each address is independent); failures are returned.
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
}

export async function executeAddressActions(actions: readonly AddressAction[], network: NodeNetwork): Promise<AddressExecution> {
  const failedAdds = new Map<string, NetworkFailure>();
  const failures: ActionFailure[] = [];
  const done: AddressAction[] = [];
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
        if (failedAdds.has(action.spec.address)) continue;
        result = await network.announce(action.spec);
        break;
    }
    if (result.ok) done.push(action);
    else failures.push({ action, error: result.error });
  }
  return { failedAdds, failures, done };
}
