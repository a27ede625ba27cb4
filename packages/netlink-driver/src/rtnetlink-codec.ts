// The rtnetlink payloads this driver sends and reads, encoded and decoded by hand: the link, address
// and route headers (`ifinfomsg`, `ifaddrmsg`, `rtmsg`) and their attributes. Written here rather than
// taken from the `netlink` package's parsed objects because those drop attributes they do not know,
// among them the address protocol (IFA_PROTO) that marks the addresses we add.

/** Message types (linux/rtnetlink.h). */
export const RTM = {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
} as const;

/** Netlink header flags (linux/netlink.h). */
export const NLM_F = {
  MULTI: 0x2,
  DUMP_INTR: 0x10,
  DUMP: 0x300,
  REPLACE: 0x100,
  EXCL: 0x200,
  CREATE: 0x400,
} as const;

export const AF_INET = 2;
export const AF_INET6 = 10;

/** Link flags (linux/if.h). */
export const IFF_UP = 0x1;

const IFLA_ADDRESS = 1;
const IFLA_IFNAME = 3;
const IFLA_OPERSTATE = 16;
const IFLA_LINKINFO = 18;
const IFLA_INFO_KIND = 1;

const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const IFA_LABEL = 3;
const IFA_FLAGS = 8;
/** The address protocol: who added the address (Linux 6.1+). */
export const IFA_PROTO = 11;

/** Address flags (linux/if_addr.h). */
export const IFA_F = {
  SECONDARY: 0x01,
  NODAD: 0x02,
  DADFAILED: 0x08,
  DEPRECATED: 0x20,
  TENTATIVE: 0x40,
  PERMANENT: 0x80,
  NOPREFIXROUTE: 0x200,
} as const;

const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_MULTIPATH = 9;
const RTA_TABLE = 15;
export const RT_TABLE_MAIN = 254;
export const RTN_UNICAST = 1;

const NLA_F_NESTED = 0x8000;
const NLA_TYPE_MASK = 0x3fff;

const align4 = (n: number): number => (n + 3) & ~3;

/** One netlink message of a received datagram. */
export interface NetlinkFrame {
  readonly type: number;
  readonly flags: number;
  readonly seq: number;
  readonly data: Buffer;
}

/** Splits a received datagram into its messages (a malformed tail is ignored). */
export function splitMessages(buffer: Buffer): NetlinkFrame[] {
  const out: NetlinkFrame[] = [];
  for (let at = 0; at + 16 <= buffer.length;) {
    const length = buffer.readUInt32LE(at);
    if (length < 16 || at + length > buffer.length) break;
    out.push({
      type: buffer.readUInt16LE(at + 4),
      flags: buffer.readUInt16LE(at + 6),
      seq: buffer.readUInt32LE(at + 8),
      data: buffer.subarray(at + 16, at + length),
    });
    at += align4(length);
  }
  return out;
}

/** One attribute to encode: its type and payload (nested attributes are encoded by the caller). */
export interface Attribute {
  readonly type: number;
  readonly data: Uint8Array;
  readonly nested?: boolean;
}

/** Encodes attributes as netlink TLVs, each padded to four bytes. */
export function encodeAttributes(attributes: readonly Attribute[]): Buffer {
  const size = attributes.reduce((n, a) => n + align4(4 + a.data.length), 0);
  const out = Buffer.alloc(size);
  let at = 0;
  for (const a of attributes) {
    out.writeUInt16LE(4 + a.data.length, at);
    out.writeUInt16LE(a.type | (a.nested === true ? NLA_F_NESTED : 0), at + 2);
    out.set(a.data, at + 4);
    at += align4(4 + a.data.length);
  }
  return out;
}

/** Decodes a run of attributes into a map by type (the last one of a type wins). Malformed tails are ignored. */
export function decodeAttributes(data: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let at = 0;
  while (at + 4 <= data.length) {
    const length = data.readUInt16LE(at);
    if (length < 4 || at + length > data.length) break;
    out.set(data.readUInt16LE(at + 2) & NLA_TYPE_MASK, data.subarray(at + 4, at + length));
    at += align4(length);
  }
  return out;
}

const u8 = (value: number): Uint8Array => Uint8Array.of(value);
const u32 = (value: number): Uint8Array => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
};
const cString = (text: string): Uint8Array => Buffer.from(`${text}\0`, 'utf8');

// ---- links ----

/** The link header plus attributes for a request about one link. */
export interface LinkRequest {
  readonly index?: number;
  readonly name?: string;
  readonly flags?: number;
  readonly change?: number;
  /** IFLA_INFO_KIND, for creating a link of a kind that needs no kind-specific data. */
  readonly kind?: string;
}

export function encodeLinkRequest(request: LinkRequest): Buffer {
  const header = Buffer.alloc(16);
  header.writeInt32LE(request.index ?? 0, 4);
  header.writeUInt32LE(request.flags ?? 0, 8);
  header.writeUInt32LE(request.change ?? 0, 12);
  const attributes: Attribute[] = [];
  if (request.name !== undefined) attributes.push({ type: IFLA_IFNAME, data: cString(request.name) });
  if (request.kind !== undefined) {
    const info = encodeAttributes([{ type: IFLA_INFO_KIND, data: cString(request.kind) }]);
    attributes.push({ type: IFLA_LINKINFO, data: info, nested: true });
  }
  return Buffer.concat([header, encodeAttributes(attributes)]);
}

/** A link as the kernel reports it. */
export interface LinkRecord {
  readonly index: number;
  readonly name: string;
  readonly flags: number;
  readonly operState: number;
  readonly kind: string | undefined;
  readonly mac: Buffer | undefined;
}

const readCString = (b: Buffer): string => {
  const end = b.indexOf(0);
  return b.toString('utf8', 0, end < 0 ? b.length : end);
};

export function decodeLink(data: Buffer): LinkRecord | undefined {
  if (data.length < 16) return undefined;
  const attributes = decodeAttributes(data.subarray(16));
  const name = attributes.get(IFLA_IFNAME);
  if (name === undefined) return undefined;
  const info = attributes.get(IFLA_LINKINFO);
  const kind = info === undefined ? undefined : decodeAttributes(info).get(IFLA_INFO_KIND);
  return {
    index: data.readInt32LE(4),
    name: readCString(name),
    flags: data.readUInt32LE(8),
    operState: attributes.get(IFLA_OPERSTATE)?.readUInt8(0) ?? 0,
    kind: kind === undefined ? undefined : readCString(kind),
    mac: attributes.get(IFLA_ADDRESS),
  };
}

// ---- addresses ----

/** The address header plus attributes for adding, replacing or deleting one address. */
export interface AddressRequest {
  readonly family: number;
  readonly prefixLength: number;
  readonly index: number;
  readonly address: Uint8Array;
  /** IFA_F_* bits; sent both in the header (low byte) and as IFA_FLAGS. */
  readonly flags?: number;
  /** IFA_PROTO, when set. */
  readonly protocol?: number;
  /** Whether to name the address as IFA_LOCAL too (IPv4 needs it). */
  readonly local: boolean;
}

export function encodeAddressRequest(request: AddressRequest): Buffer {
  const flags = request.flags ?? 0;
  const header = Buffer.alloc(8);
  header.writeUInt8(request.family, 0);
  header.writeUInt8(request.prefixLength, 1);
  header.writeUInt8(flags & 0xff, 2);
  header.writeUInt32LE(request.index, 4);
  const attributes: Attribute[] = [];
  if (request.local) attributes.push({ type: IFA_LOCAL, data: request.address });
  attributes.push({ type: IFA_ADDRESS, data: request.address });
  if (flags !== 0) attributes.push({ type: IFA_FLAGS, data: u32(flags) });
  if (request.protocol !== undefined) attributes.push({ type: IFA_PROTO, data: u8(request.protocol) });
  return Buffer.concat([header, encodeAttributes(attributes)]);
}

/** The request for a dump of every address of one family (0 = all). */
export function encodeAddressDump(family: number): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(family, 0);
  return header;
}

/** An address as the kernel reports it. */
export interface AddressRecord {
  readonly family: number;
  readonly prefixLength: number;
  readonly scope: number;
  readonly index: number;
  readonly address: Buffer;
  readonly flags: number;
  /** IFA_PROTO, 0 when absent. */
  readonly protocol: number;
  readonly label: string | undefined;
}

export function decodeAddress(data: Buffer): AddressRecord | undefined {
  if (data.length < 8) return undefined;
  const attributes = decodeAttributes(data.subarray(8));
  const address = attributes.get(IFA_LOCAL) ?? attributes.get(IFA_ADDRESS);
  if (address === undefined) return undefined;
  const label = attributes.get(IFA_LABEL);
  return {
    family: data.readUInt8(0),
    prefixLength: data.readUInt8(1),
    scope: data.readUInt8(3),
    index: data.readUInt32LE(4),
    address,
    flags: attributes.get(IFA_FLAGS)?.readUInt32LE(0) ?? data.readUInt8(2),
    protocol: attributes.get(IFA_PROTO)?.readUInt8(0) ?? 0,
    label: label === undefined ? undefined : readCString(label),
  };
}

// ---- routes ----

/** The request for a dump of every route of one family. */
export function encodeRouteDump(family: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt8(family, 0);
  return header;
}

/** A route as the kernel reports it (only what the driver reads). */
export interface RouteRecord {
  readonly family: number;
  readonly destinationLength: number;
  readonly table: number;
  readonly type: number;
  readonly hasDestination: boolean;
  readonly priority: number;
  /** Output interfaces: RTA_OIF, or each hop of RTA_MULTIPATH. */
  readonly outputs: readonly number[];
  readonly gateway: Buffer | undefined;
}

export function decodeRoute(data: Buffer): RouteRecord | undefined {
  if (data.length < 12) return undefined;
  const attributes = decodeAttributes(data.subarray(12));
  const outputs: number[] = [];
  const oif = attributes.get(RTA_OIF);
  if (oif !== undefined) outputs.push(oif.readUInt32LE(0));
  const multipath = attributes.get(RTA_MULTIPATH);
  for (let at = 0; multipath !== undefined && at + 8 <= multipath.length;) {
    const length = multipath.readUInt16LE(at);
    if (length < 8) break;
    outputs.push(multipath.readInt32LE(at + 4));
    at += align4(length);
  }
  return {
    family: data.readUInt8(0),
    destinationLength: data.readUInt8(1),
    table: attributes.get(RTA_TABLE)?.readUInt32LE(0) ?? data.readUInt8(4),
    type: data.readUInt8(7),
    hasDestination: attributes.has(RTA_DST),
    priority: attributes.get(RTA_PRIORITY)?.readUInt32LE(0) ?? 0,
    outputs,
    gateway: attributes.get(RTA_GATEWAY),
  };
}
