// One rtnetlink socket of the `netlink` package used as a request/answer channel: bounded requests in
// flight (the package aborts the process when hundreds are outstanding), a timeout on each, an
// `error` listener always attached, and answers as values — never a rejected promise.
import { createNetlink } from 'netlink';
import type { NetlinkMessage, NetlinkSocket } from 'netlink';
import { createSemaphore } from './semaphore.ts';

const NETLINK_ROUTE = 0;
const NLMSG_ERROR = 2;
const ETIMEDOUT = 110;
const NLM_F_DUMP_INTR = 0x10;

export interface RtnetlinkMessage {
  readonly type: number;
  readonly flags: number;
  readonly data: Buffer;
}

/** The kernel's answer: the messages it sent back, or an errno; `closed` when the channel was closed. */
export type ChannelAnswer =
  | { readonly kind: 'ok'; readonly messages: readonly RtnetlinkMessage[] }
  | { readonly kind: 'errno'; readonly errno: number }
  | { readonly kind: 'closed' };

export interface RtnetlinkChannel {
  /** Sends one request (REQUEST and ACK are added) and waits for its answer. */
  request(type: number, data: Buffer, flags: number): Promise<ChannelAnswer>;
  /** Sends a dump request, retrying when the kernel reports the dump was interrupted by a change. */
  dump(type: number, data: Buffer): Promise<ChannelAnswer>;
  close(): void;
}

export interface ChannelOptions {
  /** Requests in flight at once (default 32; the `netlink` package aborts near 512). */
  readonly maxInFlight?: number;
  /** Milliseconds to wait for an answer (default 10000). */
  readonly timeoutMs?: number;
}

const DUMP = 0x300;

interface Outgoing {
  readonly type: number;
  readonly data: Buffer;
  readonly flags: number;
}
const DUMP_ATTEMPTS = 5;

/** The errno of a failed send (the package's ErrnoException), or 0 for anything else. */
function errnoOf(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'errno' in error && typeof error.errno === 'number') {
    return Math.abs(error.errno);
  }
  return 0;
}

function answerOf(messages: readonly NetlinkMessage[]): ChannelAnswer {
  const first = messages[0];
  if (first?.type === NLMSG_ERROR && first.data.length >= 4) {
    const errno = -first.data.readInt32LE(0);
    return errno === 0 ? { kind: 'ok', messages: [] } : { kind: 'errno', errno };
  }
  return { kind: 'ok', messages: messages.map((m) => ({ type: m.type, flags: m.flags, data: m.data })) };
}

export function createRtnetlinkChannel(options: ChannelOptions = {}): RtnetlinkChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limit = createSemaphore(options.maxInFlight ?? 32);
  // Dumps need the socket to themselves: the kernel runs one dump per socket, and the package
  // reassembles one multipart answer at a time. They go through their own socket, one at a time.
  const dumpLimit = createSemaphore(1);
  const pending = new Set<(answer: ChannelAnswer) => void>();
  let requestSocket: NetlinkSocket | undefined;
  let dumpSocket: NetlinkSocket | undefined;
  let closed = false;

  const open = (): NetlinkSocket => {
    const socket = createNetlink(NETLINK_ROUTE);
    // Errors the socket reports outside a request (e.g. ENOBUFS) fail the affected requests by their
    // timeout; without a listener the package would throw from native code and abort the process.
    socket.on('error', () => undefined);
    socket.on('invalid', () => undefined);
    return socket;
  };

  const send = async (socket: NetlinkSocket, { type, data, flags }: Outgoing): Promise<ChannelAnswer> => {
    if (closed) return { kind: 'closed' };
    return new Promise<ChannelAnswer>((resolve) => {
      // Our own timer, unreferenced: the package's timeout would keep the process alive after close().
      const timer = setTimeout(() => {
        settle({ kind: 'errno', errno: ETIMEDOUT });
      }, timeoutMs);
      timer.unref();
      const settle = (answer: ChannelAnswer): void => {
        if (!pending.delete(settle)) return;
        clearTimeout(timer);
        resolve(answer);
      };
      pending.add(settle);
      try {
        socket.request(type, data, { flags, checkError: false }).then(
          ([messages]) => {
            settle(answerOf(messages));
          },
          (error: unknown) => {
            settle(closed ? { kind: 'closed' } : { kind: 'errno', errno: errnoOf(error) });
          },
        );
      } catch (error) {
        settle(closed ? { kind: 'closed' } : { kind: 'errno', errno: errnoOf(error) });
      }
    });
  };

  return {
    request(type, data, flags) {
      return limit.run(() => {
        if (closed) return Promise.resolve<ChannelAnswer>({ kind: 'closed' });
        requestSocket ??= open();
        return send(requestSocket, { type, data, flags });
      });
    },
    dump(type, data) {
      return dumpLimit.run(async () => {
        for (let attempt = 1; ; attempt++) {
          if (closed) return { kind: 'closed' };
          dumpSocket ??= open();
          const answer = await send(dumpSocket, { type, data, flags: DUMP });
          const interrupted = answer.kind === 'ok' && answer.messages.some((m) => (m.flags & NLM_F_DUMP_INTR) !== 0);
          if (!interrupted || attempt === DUMP_ATTEMPTS) return answer;
        }
      });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const settle of [...pending]) settle({ kind: 'closed' });
      requestSocket?.close();
      dumpSocket?.close();
    },
  };
}
