// Validation of what callers pass in, shared by the real driver and the fake so both refuse the
// same requests with the same errors, before anything reaches the kernel.
import { addressToBytes } from './address-bytes.ts';
import type { AddressBytes } from './address-bytes.ts';
import type { DriverOp, DriverResult } from './driver-error.ts';
import { fail, ok } from './driver-error.ts';
import type { AddressRef, AddressSpec, LinkKind } from './netlink-driver.ts';

/** Linux interface names: 1 to 15 bytes, no `/`, no whitespace, not `.` or `..`. */
export function checkLinkName<T = string>(op: DriverOp, name: string): DriverResult<T> | undefined {
  const valid =
    name.length > 0 && Buffer.byteLength(name) <= 15 && !/[\s/:]/.test(name) && name !== '.' && name !== '..';
  return valid ? undefined : fail(op, 'EINVAL', `"${name}" is not a valid link name`);
}

export interface CheckedAddress {
  readonly link: string;
  readonly address: AddressBytes;
  readonly prefixLength: number;
}

/** A checked address reference: valid link name, address text and prefix length for its family. */
export function checkAddressRef(op: DriverOp, ref: AddressRef): DriverResult<CheckedAddress> {
  const badLink = checkLinkName<CheckedAddress>(op, ref.link);
  if (badLink !== undefined) return badLink;
  const address = addressToBytes(ref.address);
  if (address === undefined) return fail(op, 'EINVAL', `"${ref.address}" is not an IP address`);
  const { prefixLength } = ref;
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > address.bits) {
    return fail(
      op,
      'EINVAL',
      `prefix length ${prefixLength} is out of range for ${address.family} address ${address.text}`,
    );
  }
  return ok({ link: ref.link, address, prefixLength });
}

export interface CheckedSpec extends CheckedAddress {
  readonly noPrefixRoute: boolean;
  /** Effective: IPv6 only. */
  readonly noDad: boolean;
}

export function checkAddressSpec(op: DriverOp, spec: AddressSpec): DriverResult<CheckedSpec> {
  const checked = checkAddressRef(op, spec);
  if (!checked.ok) return checked;
  const v6 = checked.value.address.family === 'IPv6';
  return ok({ ...checked.value, noPrefixRoute: spec.noPrefixRoute === true, noDad: v6 && spec.noDad === true });
}

const LINK_KINDS: readonly LinkKind[] = ['dummy', 'ifb', 'bridge'];

export function checkLinkKind(op: DriverOp, kind: string): DriverResult<LinkKind> {
  const known = LINK_KINDS.find((k) => k === kind);
  return known === undefined
    ? fail(op, 'EINVAL', `link kind "${kind}" is not one the driver creates (${LINK_KINDS.join(', ')})`)
    : ok(known);
}

/** `address/prefixLength` in canonical text. */
export const cidrText = (a: CheckedAddress): string => `${a.address.text}/${a.prefixLength}`;
