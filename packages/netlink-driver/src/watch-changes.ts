// Link and address changes from the kernel's rtnetlink multicast groups, on a socket of their own per
// subscriber. Events are delivered in the kernel's order; address events carry their link's name,
// kept from an initial link listing and every link event. When the kernel drops notifications (the
// socket's buffer overflowed) or the socket fails, a `lost` event tells the consumer to list again.
import { RawNetlinkSocket } from 'netlink';
import { Observable } from 'rxjs';
import type { DriverError, DriverResult } from './driver-error.ts';
import { addressFromRecord, linkFromRecord } from './kernel-values.ts';
import type { NetlinkChange } from './netlink-driver.ts';
import type { LinkRecord } from './rtnetlink-codec.ts';
import { decodeAddress, decodeLink, RTM, splitMessages } from './rtnetlink-codec.ts';

const NETLINK_ROUTE = 0;
const GROUPS = { LINK: 1, IPV4_IFADDR: 5, IPV6_IFADDR: 9 } as const;
const RECEIVE_BUFFER = 4 * 1024 * 1024;

export interface WatchChangesOptions {
  /** IFA_PROTO of our addresses, for `owned`. */
  readonly protocol: number;
  /** Lists the links (for the names of address events). */
  readonly listLinks: () => Promise<DriverResult<readonly LinkRecord[]>>;
}

type Item = { readonly kind: 'message'; readonly type: number; readonly data: Buffer } | { readonly kind: 'lost' };

export function watchChanges(options: WatchChangesOptions): Observable<NetlinkChange> {
  return new Observable<NetlinkChange>((subscriber) => {
    let socket: RawNetlinkSocket;
    try {
      // Referenced while subscribed, like any listening socket.
      socket = new RawNetlinkSocket(NETLINK_ROUTE, { recvBufferSize: RECEIVE_BUFFER, sendBufferSize: 0 });
    } catch (error) {
      const failure: DriverError = {
        code: 'Unknown',
        op: 'changes',
        message: `opening the notification socket failed: ${String(error)}`,
      };
      subscriber.error(failure);
      return undefined;
    }
    const queue: Item[] = [];
    const names = new Map<number, string>();
    let ready = false;
    let draining = false;
    let stopped = false;

    const refreshNames = async (): Promise<boolean> => {
      const links = await options.listLinks();
      if (!links.ok) return false;
      names.clear();
      for (const l of links.value) names.set(l.index, l.name);
      return true;
    };

    const handle = async (item: Item): Promise<void> => {
      if (item.kind === 'lost') {
        await refreshNames();
        subscriber.next({ kind: 'lost' });
        return;
      }
      if (item.type === RTM.NEWLINK || item.type === RTM.DELLINK) {
        const record = decodeLink(item.data);
        if (record === undefined) return;
        if (item.type === RTM.NEWLINK) names.set(record.index, record.name);
        else names.delete(record.index);
        subscriber.next({
          kind: 'link',
          action: item.type === RTM.NEWLINK ? 'new' : 'del',
          link: linkFromRecord(record),
        });
        return;
      }
      const record = decodeAddress(item.data);
      if (record === undefined) return;
      if (!names.has(record.index)) await refreshNames();
      const address = addressFromRecord(record, names, options.protocol);
      // An address of a link that is gone again before we could name it: the consumer relists.
      subscriber.next(
        address === undefined
          ? { kind: 'lost' }
          : { kind: 'address', action: item.type === RTM.NEWADDR ? 'new' : 'del', address },
      );
    };

    const drain = async (): Promise<void> => {
      if (draining || !ready) return;
      draining = true;
      for (let item = queue.shift(); item !== undefined && !stopped; item = queue.shift()) await handle(item);
      draining = false;
    };

    const push = (item: Item): void => {
      if (stopped) return;
      queue.push(item);
      void drain();
    };

    // These run inside the native socket's callback: they must never throw.
    socket.on('message', (buffer) => {
      try {
        for (const m of splitMessages(buffer)) {
          if (m.type === RTM.NEWLINK || m.type === RTM.DELLINK || m.type === RTM.NEWADDR || m.type === RTM.DELADDR) {
            push({ kind: 'message', type: m.type, data: m.data });
          }
        }
      } catch {
        push({ kind: 'lost' });
      }
    });
    socket.on('error', () => {
      push({ kind: 'lost' });
    });
    socket.on('truncatedMessage', () => {
      push({ kind: 'lost' });
    });

    try {
      for (const group of Object.values(GROUPS)) socket.addMembership(group);
    } catch (error) {
      socket.close();
      const failure: DriverError = {
        code: 'Unknown',
        op: 'changes',
        message: `joining the notification groups failed: ${String(error)}`,
      };
      subscriber.error(failure);
      return undefined;
    }

    void refreshNames().then(() => {
      ready = true;
      return drain();
    });

    return () => {
      stopped = true;
      queue.length = 0;
      socket.close();
    };
  });
}
