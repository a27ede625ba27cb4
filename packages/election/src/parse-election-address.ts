// Addresses are elected in their canonical text form (ipam-core's), so every spelling of one
// address elects the same node.
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import type { IpAddress } from '@purelb/ipam-core';
import type { InvalidAddressFailure } from './election.ts';

/** An address with its canonical text. */
export interface ElectionAddress {
  readonly text: string;
  readonly address: IpAddress;
}

/** Parses any text form of an IPv4 or IPv6 address into its canonical form. */
export function parseElectionAddress(
  text: string,
):
  | { readonly ok: true; readonly value: ElectionAddress }
  | { readonly ok: false; readonly error: InvalidAddressFailure } {
  const parsed = parseAddress(text);
  if (!parsed.ok) {
    const shown = text.trim() === '' ? '(empty)' : text.trim();
    return {
      ok: false,
      error: { code: 'InvalidAddress', message: `address ${shown} is not an IP address`, address: text },
    };
  }
  return { ok: true, value: { text: formatAddress(parsed.value), address: parsed.value } };
}
