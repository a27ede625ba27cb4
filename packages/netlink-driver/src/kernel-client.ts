// The rtnetlink requests the driver makes, each answered as a result value: dumps of links, addresses
// and routes, a link by name, and the address and link writes. A small cache maps link names to
// indexes so a write costs one round trip.
import type { DriverOp, DriverResult } from './driver-error.ts';
import { fail, kernelFailure, noSuchLink, ok } from './driver-error.ts';
import type { ChannelAnswer, RtnetlinkChannel } from './rtnetlink-channel.ts';
import type { AddressRecord, AddressRequest, LinkRecord, RouteRecord } from './rtnetlink-codec.ts';
import {
  decodeAddress,
  decodeLink,
  decodeRoute,
  encodeAddressDump,
  encodeAddressRequest,
  encodeLinkRequest,
  encodeRouteDump,
  IFF_UP,
  NLM_F,
  RTM,
} from './rtnetlink-codec.ts';

const ENODEV = 19;

/** A write's answer: done, or the kernel's errno (0 = failed without one). */
export type WriteAnswer =
  { readonly kind: 'done' } | { readonly kind: 'errno'; readonly errno: number } | { readonly kind: 'closed' };

export interface KernelClient {
  links(op: DriverOp): Promise<DriverResult<LinkRecord[]>>;
  addresses(op: DriverOp, af: number): Promise<DriverResult<AddressRecord[]>>;
  routes(op: DriverOp, af: number): Promise<DriverResult<RouteRecord[]>>;
  /** The link by name, fresh from the kernel; undefined when there is none. */
  linkByName(op: DriverOp, name: string): Promise<DriverResult<LinkRecord | undefined>>;
  /** The link by name from the cache, asking the kernel on a miss; ENODEV when there is none. */
  resolveLink(op: DriverOp, name: string): Promise<DriverResult<LinkRecord>>;
  /** Sends an address write; on ENODEV with a cached index, refreshes the link and tries once more. */
  writeAddress(op: DriverOp, link: string, write: AddressWrite): Promise<DriverResult<WriteAnswer>>;
  createLink(name: string, kind: string): Promise<WriteAnswer>;
  setUp(index: number): Promise<WriteAnswer>;
  close(): void;
}

export interface AddressWrite {
  readonly type: typeof RTM.NEWADDR | typeof RTM.DELADDR;
  readonly flags: number;
  readonly request: Omit<AddressRequest, 'index'>;
}

export const closedFailure = <T>(op: DriverOp): DriverResult<T> => fail(op, 'Closed', 'the driver is closed');

/** A failed answer as a failed result about `what` (e.g. `listing links`). */
export function answerFailure<T>(
  op: DriverOp,
  answer: Exclude<ChannelAnswer, { kind: 'ok' }> | Exclude<WriteAnswer, { kind: 'done' }>,
  what: string,
): DriverResult<T> {
  return answer.kind === 'closed' ? closedFailure(op) : kernelFailure(op, answer.errno, what);
}

const toWrite = (answer: ChannelAnswer): WriteAnswer => (answer.kind === 'ok' ? { kind: 'done' } : answer);

export function createKernelClient(channel: RtnetlinkChannel): KernelClient {
  const cache = new Map<string, LinkRecord>();

  interface Dump<T> {
    readonly what: string;
    readonly type: number;
    readonly request: Buffer;
    readonly decode: (data: Buffer) => T | undefined;
  }
  const dump = async <T>(op: DriverOp, { what, type, request, decode }: Dump<T>): Promise<DriverResult<T[]>> => {
    const answer = await channel.dump(type, request);
    if (answer.kind !== 'ok') return answerFailure(op, answer, what);
    const out: T[] = [];
    for (const m of answer.messages) {
      const value = decode(m.data);
      if (value !== undefined) out.push(value);
    }
    return ok(out);
  };

  const linkByName = async (op: DriverOp, name: string): Promise<DriverResult<LinkRecord | undefined>> => {
    const answer = await channel.request(RTM.GETLINK, encodeLinkRequest({ name }), 0);
    if (answer.kind === 'errno' && answer.errno === ENODEV) {
      cache.delete(name);
      return ok(undefined);
    }
    if (answer.kind !== 'ok') return answerFailure(op, answer, `reading link ${name}`);
    const first = answer.messages[0];
    const link = first === undefined ? undefined : decodeLink(first.data);
    if (link === undefined) cache.delete(name);
    else cache.set(name, link);
    return ok(link);
  };

  const resolveLink = async (op: DriverOp, name: string): Promise<DriverResult<LinkRecord>> => {
    const cached = cache.get(name);
    if (cached !== undefined) return ok(cached);
    const found = await linkByName(op, name);
    if (!found.ok) return found;
    return found.value === undefined ? noSuchLink(op, name) : ok(found.value);
  };

  return {
    links: async (op) => {
      const links = await dump(op, {
        what: 'listing links',
        type: RTM.GETLINK,
        request: encodeLinkRequest({}),
        decode: decodeLink,
      });
      if (links.ok) {
        cache.clear();
        for (const l of links.value) cache.set(l.name, l);
      }
      return links;
    },
    addresses: (op, af) =>
      dump(op, { what: 'listing addresses', type: RTM.GETADDR, request: encodeAddressDump(af), decode: decodeAddress }),
    routes: (op, af) =>
      dump(op, { what: 'listing routes', type: RTM.GETROUTE, request: encodeRouteDump(af), decode: decodeRoute }),
    linkByName,
    resolveLink,
    async writeAddress(op, name, write) {
      for (let attempt = 1; ; attempt++) {
        const link = await resolveLink(op, name);
        if (!link.ok) return link;
        const answer = toWrite(
          await channel.request(
            write.type,
            encodeAddressRequest({ ...write.request, index: link.value.index }),
            write.flags,
          ),
        );
        if (answer.kind === 'errno' && answer.errno === ENODEV && attempt === 1) {
          cache.delete(name); // the link may have been replaced under the same name
          continue;
        }
        if (answer.kind === 'errno' && answer.errno === ENODEV) return noSuchLink(op, name);
        return ok(answer);
      }
    },
    createLink: async (name, kind) =>
      toWrite(await channel.request(RTM.NEWLINK, encodeLinkRequest({ name, kind }), NLM_F.CREATE | NLM_F.EXCL)),
    setUp: async (index) =>
      toWrite(await channel.request(RTM.NEWLINK, encodeLinkRequest({ index, flags: IFF_UP, change: IFF_UP }), 0)),
    close: () => {
      channel.close();
    },
  };
}
