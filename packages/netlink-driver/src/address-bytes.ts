// Addresses between their canonical text (how the driver's callers speak) and network byte order
// (how the kernel speaks).
import { formatAddress, parseAddress } from '@purelb/ipam-core';
import type { IpFamily } from '@purelb/ipam-core';
import { AF_INET, AF_INET6 } from './rtnetlink-codec.ts';

export interface AddressBytes {
  readonly family: IpFamily;
  /** AF_INET or AF_INET6. */
  readonly af: number;
  readonly bytes: Buffer;
  /** Canonical text. */
  readonly text: string;
  /** 32 or 128. */
  readonly bits: number;
}

/** Parses address text; undefined when it is not an IPv4 or IPv6 address. */
export function addressToBytes(text: string): AddressBytes | undefined {
  const parsed = parseAddress(text);
  if (!parsed.ok) return undefined;
  const { family, value } = parsed.value;
  const length = family === 'IPv4' ? 4 : 16;
  const bytes = Buffer.alloc(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return {
    family,
    af: family === 'IPv4' ? AF_INET : AF_INET6,
    bytes,
    text: formatAddress(parsed.value),
    bits: length * 8,
  };
}

/** The family of an AF_* number, if it is one of the two. */
export function familyOfAf(af: number): IpFamily | undefined {
  return af === AF_INET ? 'IPv4' : af === AF_INET6 ? 'IPv6' : undefined;
}

/** Canonical text of an address in network byte order. */
export function bytesToAddress(family: IpFamily, bytes: Uint8Array): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return formatAddress({ family, value });
}

/** Lower-case colon-separated hardware address. */
export function formatMac(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':');
}
