// The real driver: rtnetlink through the `netlink` package, in the network namespace of the process.
import type { Observable } from 'rxjs';
import { addressToBytes, formatMac } from './address-bytes.ts';
import { createAnnouncer } from './announcer.ts';
import type { AnnouncerOptions } from './announcer.ts';
import { checkAddressRef, checkAddressSpec, checkLinkKind, checkLinkName, cidrText } from './check-request.ts';
import type { CheckedSpec } from './check-request.ts';
import type { DriverOp, DriverResult } from './driver-error.ts';
import { fail, noSuchLink, ok } from './driver-error.ts';
import { findSubnetIn } from './find-subnet.ts';
import { answerFailure, closedFailure, createKernelClient } from './kernel-client.ts';
import { addressFromRecord, defaultRoutesFromRecords, linkFromRecord } from './kernel-values.ts';
import type { Address, AddressFilter, NetlinkChange, NetlinkDriver, ReplaceOutcome } from './netlink-driver.ts';
import { ADDRESS_PROTOCOL } from './address-protocol.ts';
import { createRtnetlinkChannel } from './rtnetlink-channel.ts';
import { AF_INET, AF_INET6, IFA_F, IFF_UP, NLM_F, RTM } from './rtnetlink-codec.ts';
import { watchChanges } from './watch-changes.ts';

const EEXIST = 17;
const EADDRNOTAVAIL = 99;

export interface NetlinkDriverOptions {
  /** The IFA_PROTO value that marks addresses as ours (default `ADDRESS_PROTOCOL`, 80). */
  readonly protocol?: number;
  /** Requests in flight on the request socket (default 32). */
  readonly maxInFlight?: number;
  /** Milliseconds to wait for the kernel's answer (default 10000). */
  readonly timeoutMs?: number;
  readonly announce?: AnnouncerOptions;
}

const afOf = (family: 'IPv4' | 'IPv6' | undefined): number =>
  family === 'IPv4' ? AF_INET : family === 'IPv6' ? AF_INET6 : 0;

export function createNetlinkDriver(options: NetlinkDriverOptions = {}): NetlinkDriver {
  const protocol = options.protocol ?? ADDRESS_PROTOCOL;
  if (!Number.isInteger(protocol) || protocol < 4 || protocol > 255)
    throw new RangeError(`protocol must be 4..255, got ${protocol}`);
  const channelOptions = {
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  const kernel = createKernelClient(createRtnetlinkChannel(channelOptions));
  const announcer = createAnnouncer(options.announce);
  let closed = false;

  const listAddresses = async (op: DriverOp, filter: AddressFilter = {}): Promise<DriverResult<Address[]>> => {
    if (closed) return closedFailure(op);
    if (filter.link !== undefined) {
      const bad = checkLinkName<Address[]>(op, filter.link);
      if (bad !== undefined) return bad;
    }
    const links = await kernel.links(op);
    if (!links.ok) return links;
    const names = new Map(links.value.map((l) => [l.index, l.name]));
    if (filter.link !== undefined && !links.value.some((l) => l.name === filter.link)) {
      return noSuchLink(op, filter.link);
    }
    const records = await kernel.addresses(op, afOf(filter.family));
    if (!records.ok) return records;
    const out: Address[] = [];
    for (const r of records.value) {
      const a = addressFromRecord(r, names, protocol);
      if (
        a === undefined ||
        (filter.link !== undefined && a.link !== filter.link) ||
        (filter.ownedOnly === true && !a.owned)
      )
        continue;
      if (filter.family === undefined || a.family === filter.family) out.push(a);
    }
    return ok(out);
  };

  const newAddress = (op: DriverOp, spec: CheckedSpec, flags: number) => {
    const addressFlags = (spec.noPrefixRoute ? IFA_F.NOPREFIXROUTE : 0) | (spec.noDad ? IFA_F.NODAD : 0);
    const { af, bytes } = spec.address;
    const request = {
      family: af,
      prefixLength: spec.prefixLength,
      address: bytes,
      flags: addressFlags,
      protocol,
      local: af === AF_INET,
    };
    return kernel.writeAddress(op, spec.link, { type: RTM.NEWADDR, flags, request });
  };

  const deleteAddress = (op: DriverOp, a: { link: string; af: number; bytes: Buffer; prefixLength: number }) =>
    kernel.writeAddress(op, a.link, {
      type: RTM.DELADDR,
      flags: 0,
      request: { family: a.af, prefixLength: a.prefixLength, address: a.bytes, local: a.af === AF_INET },
    });

  /** The addresses equal to `spec`'s on its link (any prefix length). */
  const sameAddresses = async (op: DriverOp, spec: CheckedSpec): Promise<DriverResult<Address[]>> => {
    const listed = await listAddresses(op, { link: spec.link, family: spec.address.family });
    return listed.ok ? ok(listed.value.filter((a) => a.address === spec.address.text)) : listed;
  };

  const matches = (a: Address, spec: CheckedSpec): boolean =>
    a.prefixLength === spec.prefixLength &&
    a.owned &&
    a.flags.noPrefixRoute === spec.noPrefixRoute &&
    (spec.address.family === 'IPv4' || a.flags.noDad === spec.noDad);

  return {
    async listLinks() {
      if (closed) return closedFailure('listLinks');
      const links = await kernel.links('listLinks');
      return links.ok ? ok(links.value.map(linkFromRecord)) : links;
    },

    listAddresses: (filter) => listAddresses('listAddresses', filter),

    async defaultRoutes(family) {
      const op = 'defaultRoutes';
      if (closed) return closedFailure(op);
      const links = await kernel.links(op);
      if (!links.ok) return links;
      const routes = await kernel.routes(op, afOf(family));
      if (!routes.ok) return routes;
      return ok(defaultRoutesFromRecords(routes.value, new Map(links.value.map((l) => [l.index, l.name]))));
    },

    async findSubnet(address, options = {}) {
      const op = 'findSubnet';
      const target = addressToBytes(address);
      if (target === undefined) return fail(op, 'EINVAL', `"${address}" is not an IP address`);
      const listed = await listAddresses(op, {
        family: target.family,
        ...(options.link === undefined ? {} : { link: options.link }),
      });
      return listed.ok ? ok(findSubnetIn(listed.value, target.text, options.link)) : listed;
    },

    async ensureLink(request) {
      const op = 'ensureLink';
      if (closed) return closedFailure(op);
      const bad = checkLinkName<never>(op, request.name);
      if (bad !== undefined) return bad;
      const kind = checkLinkKind(op, request.kind ?? 'dummy');
      if (!kind.ok) return kind;
      let created = false;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const found = await kernel.linkByName(op, request.name);
        if (!found.ok) return found;
        const link = found.value;
        if (link === undefined) {
          const answer = await kernel.createLink(request.name, kind.value);
          if (answer.kind === 'errno' && answer.errno === EEXIST) continue; // someone else just made it
          if (answer.kind !== 'done')
            return answerFailure(op, answer, `creating link ${request.name} of kind ${kind.value}`);
          created = true;
          continue;
        }
        if ((link.flags & IFF_UP) !== 0)
          return ok({ kind: created ? 'created' : 'unchanged', link: linkFromRecord(link) });
        const up = await kernel.setUp(link.index);
        if (up.kind !== 'done') return answerFailure(op, up, `bringing link ${request.name} up`);
        const fresh = await kernel.linkByName(op, request.name);
        if (!fresh.ok) return fresh;
        if (fresh.value === undefined) continue;
        return ok({ kind: created ? 'created' : 'broughtUp', link: linkFromRecord(fresh.value) });
      }
      return fail(op, 'EBUSY', `link ${request.name} kept changing while it was being ensured`);
    },

    async addAddress(spec) {
      const op = 'addAddress';
      if (closed) return closedFailure(op);
      const checked = checkAddressSpec(op, spec);
      if (!checked.ok) return checked;
      const answer = await newAddress(op, checked.value, NLM_F.CREATE | NLM_F.EXCL);
      if (!answer.ok) return answer;
      if (answer.value.kind === 'done') return ok({ kind: 'added' });
      if (answer.value.kind === 'errno' && answer.value.errno === EEXIST) {
        const same = await sameAddresses(op, checked.value);
        if (!same.ok) return same;
        const exact = same.value.find((a) => a.prefixLength === checked.value.prefixLength) ?? same.value[0];
        return ok({ kind: 'present', owned: exact?.owned ?? false });
      }
      return answerFailure(op, answer.value, `adding ${cidrText(checked.value)} to ${checked.value.link}`);
    },

    async replaceAddress(spec) {
      const op = 'replaceAddress';
      if (closed) return closedFailure(op);
      const checked = checkAddressSpec(op, spec);
      if (!checked.ok) return checked;
      const c = checked.value;
      const what = `replacing ${cidrText(c)} on ${c.link}`;
      const same = await sameAddresses(op, c);
      if (!same.ok) return same;
      if (same.value.length === 1 && same.value.every((a) => matches(a, c)))
        return ok<ReplaceOutcome>({ kind: 'unchanged' });
      const samePrefix = same.value.find((a) => a.prefixLength === c.prefixLength);
      const others = same.value.filter((a) => a.prefixLength !== c.prefixLength);
      const remove = async (a: Address): Promise<DriverResult<true>> => {
        const gone = await deleteAddress(op, {
          link: c.link,
          af: c.address.af,
          bytes: c.address.bytes,
          prefixLength: a.prefixLength,
        });
        if (!gone.ok) return gone;
        const v = gone.value;
        return v.kind === 'done' || (v.kind === 'errno' && v.errno === EADDRNOTAVAIL)
          ? ok(true)
          : answerFailure(op, v, what);
      };
      // IPv6 knows an address once, whatever its prefix length: the old one goes first. IPv4 keeps one
      // per prefix length: the new one goes in first, so the address is never missing.
      if (c.address.family === 'IPv6') {
        for (const a of others) {
          const r = await remove(a);
          if (!r.ok) return r;
        }
      }
      // The kernel's replace updates IPv6 flags but not IPv4 flags: an IPv4 flag change is delete + add.
      const v4FlagsDiffer =
        c.address.family === 'IPv4' && samePrefix !== undefined && samePrefix.flags.noPrefixRoute !== c.noPrefixRoute;
      if (samePrefix !== undefined && v4FlagsDiffer) {
        const r = await remove(samePrefix);
        if (!r.ok) return r;
      }
      const answer = await newAddress(op, c, NLM_F.CREATE | NLM_F.REPLACE);
      if (!answer.ok) return answer;
      if (answer.value.kind !== 'done') return answerFailure(op, answer.value, what);
      if (c.address.family === 'IPv4') {
        for (const a of others) {
          const r = await remove(a);
          if (!r.ok) return r;
        }
      }
      return ok<ReplaceOutcome>({ kind: samePrefix === undefined && others.length === 0 ? 'added' : 'replaced' });
    },

    async deleteAddress(ref) {
      const op = 'deleteAddress';
      if (closed) return closedFailure(op);
      const checked = checkAddressRef(op, ref);
      if (!checked.ok) return checked;
      const c = checked.value;
      const answer = await deleteAddress(op, {
        link: c.link,
        af: c.address.af,
        bytes: c.address.bytes,
        prefixLength: c.prefixLength,
      });
      if (!answer.ok) return answer;
      const v = answer.value;
      if (v.kind === 'done') return ok({ kind: 'deleted' });
      if (v.kind === 'errno' && v.errno === EADDRNOTAVAIL) return ok({ kind: 'absent' });
      return answerFailure(op, v, `deleting ${cidrText(c)} from ${c.link}`);
    },

    async announce(request) {
      const op = 'announce';
      if (closed) return closedFailure(op);
      const checked = checkAddressRef(op, { ...request, prefixLength: 0 });
      if (!checked.ok) return checked;
      const link = await kernel.resolveLink(op, request.link);
      if (!link.ok) return link;
      const { family, text } = checked.value.address;
      const mac = link.value.mac === undefined || link.value.mac.length === 0 ? undefined : formatMac(link.value.mac);
      return announcer.announce({ family, address: text, link: request.link, linkIndex: link.value.index, mac });
    },

    changes(): Observable<NetlinkChange> {
      return watchChanges({
        protocol,
        listLinks: () => (closed ? Promise.resolve(closedFailure('changes')) : kernel.links('changes')),
      });
    },

    close() {
      closed = true;
      kernel.close();
    },
  };
}
