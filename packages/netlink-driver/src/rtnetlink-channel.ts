// A request/answer channel on rtnetlink sockets of the `netlink` package's native layer
// (`RawNetlinkSocket`): our own sequence numbers, acknowledgements and multipart answers; a bound on
// requests in flight (the package's higher layer aborts the process when hundreds are outstanding);
// requests issued in the same turn of the event loop sent together in one datagram (the kernel
// handles its messages in turn); a timeout on each request; `error` listeners always attached; and
// every answer a value — never a rejected promise, never an exception thrown from the native callback.
import { RawNetlinkSocket } from 'netlink';
import { splitMessages } from './rtnetlink-codec.ts';
import { createSemaphore } from './semaphore.ts';

const NETLINK_ROUTE = 0;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const NLM_F_REQUEST = 0x1;
const NLM_F_MULTI = 0x2;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP_INTR = 0x10;
const NLM_F_DUMP = 0x300;
const ETIMEDOUT = 110;
const ENOBUFS = 105;
const HEADER = 16;
const BATCH = 32;
const DUMP_ATTEMPTS = 5;

export interface RtnetlinkMessage {
  readonly type: number;
  readonly flags: number;
  readonly data: Buffer;
}

/** The kernel's answer: the messages it sent back, or an errno; `closed` when the channel was closed. */
export type ChannelAnswer =
  | { readonly kind: 'ok'; readonly messages: readonly RtnetlinkMessage[] }
  /** errno 0: the request failed without one (e.g. the socket could not send). */
  | { readonly kind: 'errno'; readonly errno: number }
  | { readonly kind: 'closed' };

export interface RtnetlinkChannel {
  /** Sends one request and waits for its answer (an acknowledgement, or the reply of a GET). */
  request(type: number, data: Buffer, flags: number): Promise<ChannelAnswer>;
  /** Sends a dump request, retrying when the kernel reports the dump was interrupted by a change. */
  dump(type: number, data: Buffer): Promise<ChannelAnswer>;
  close(): void;
}

export interface ChannelOptions {
  /** Requests in flight at once (default 32). */
  readonly maxInFlight?: number;
  /** Milliseconds to wait for an answer (default 10000). */
  readonly timeoutMs?: number;
}

interface Pending {
  readonly messages: RtnetlinkMessage[];
  readonly settle: (answer: ChannelAnswer) => void;
}

/**
 * One socket: numbered requests out (batched per turn of the event loop), answers matched back.
 * Each datagram is received into a buffer of its own size (message peeking): a fixed receive buffer
 * costs its whole size in native memory per answer, which V8 does not see and frees late (16 KB per
 * acknowledgement of 36 bytes grew the node agent by ~100 MB with 6,000 addresses).
 */
function createSocketLink(timeoutMs: number) {
  const socket = new RawNetlinkSocket(NETLINK_ROUTE, {
    messagePeeking: true,
    recvBufferSize: 1 << 20,
    sendBufferSize: 0,
  });
  socket.unref(); // referenced only while requests are pending
  const pending = new Map<number, Pending>();
  let outbox: { seq: number; bytes: Buffer }[] = [];
  let seq = 0;
  let closed = false;

  const failAll = (answer: ChannelAnswer): void => {
    for (const p of [...pending.values()]) p.settle(answer);
  };
  const receive = (buffer: Buffer): void => {
    for (const { type, flags, seq: id, data } of splitMessages(buffer)) {
      const p = pending.get(id);
      if (p === undefined) continue;
      if (type === NLMSG_ERROR) {
        const errno = data.length >= 4 ? -data.readInt32LE(0) : 0;
        p.settle(errno === 0 ? { kind: 'ok', messages: p.messages } : { kind: 'errno', errno });
      } else if (type === NLMSG_DONE) {
        p.settle({ kind: 'ok', messages: p.messages });
      } else {
        p.messages.push({ type, flags, data });
        if ((flags & NLM_F_MULTI) === 0) p.settle({ kind: 'ok', messages: p.messages });
      }
    }
  };
  // Listeners run inside the native callback: they must never throw.
  socket.on('message', (buffer) => {
    try {
      receive(buffer);
    } catch {
      failAll({ kind: 'errno', errno: 0 });
    }
  });
  // ENOBUFS: answers were dropped, and which ones cannot be told.
  socket.on('error', (error) => {
    failAll({ kind: 'errno', errno: Math.abs(error.errno) || ENOBUFS });
  });
  socket.on('truncatedMessage', () => {
    failAll({ kind: 'errno', errno: ENOBUFS });
  });

  const flush = (): void => {
    const batch = outbox;
    outbox = [];
    if (batch.length === 0 || closed) return;
    try {
      socket.send(
        batch.map((m) => m.bytes),
        { port: 0, groups: 0 },
        (error) => {
          if (error !== undefined)
            for (const m of batch) pending.get(m.seq)?.settle({ kind: 'errno', errno: Math.abs(error.errno) });
        },
      );
    } catch {
      for (const m of batch) pending.get(m.seq)?.settle({ kind: 'errno', errno: 0 });
    }
  };

  return {
    send(type: number, data: Buffer, flags: number): Promise<ChannelAnswer> {
      if (closed) return Promise.resolve({ kind: 'closed' });
      seq = (seq % 0xffff_fffe) + 1;
      const id = seq;
      const header = Buffer.alloc(HEADER);
      header.writeUInt32LE(HEADER + data.length, 0);
      header.writeUInt16LE(type, 4);
      header.writeUInt16LE(flags | NLM_F_REQUEST, 6);
      header.writeUInt32LE(id, 8);
      return new Promise<ChannelAnswer>((resolve) => {
        const timer = setTimeout(() => {
          entry.settle({ kind: 'errno', errno: ETIMEDOUT });
        }, timeoutMs);
        timer.unref();
        const entry: Pending = {
          messages: [],
          settle: (answer) => {
            if (pending.get(id) !== entry) return;
            pending.delete(id);
            clearTimeout(timer);
            if (pending.size === 0) socket.unref();
            resolve(answer);
          },
        };
        pending.set(id, entry);
        socket.ref();
        outbox.push({ seq: id, bytes: Buffer.concat([header, data]) });
        if (outbox.length >= BATCH) flush();
        else if (outbox.length === 1) setImmediate(flush); // after this turn's other requests
      });
    },
    close(): void {
      if (closed) return;
      closed = true;
      failAll({ kind: 'closed' });
      socket.close();
    },
  };
}

export function createRtnetlinkChannel(options: ChannelOptions = {}): RtnetlinkChannel {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const limit = createSemaphore(options.maxInFlight ?? 32);
  // The kernel runs one dump per socket at a time: dumps go through their own socket, one by one.
  const dumpLimit = createSemaphore(1);
  let requests: ReturnType<typeof createSocketLink> | undefined;
  let dumps: ReturnType<typeof createSocketLink> | undefined;
  let closed = false;

  return {
    request(type, data, flags) {
      return limit.run(() => {
        if (closed) return Promise.resolve<ChannelAnswer>({ kind: 'closed' });
        requests ??= createSocketLink(timeoutMs);
        // A GET (rtnetlink types 18, 22, 26, … are 2 mod 4) is answered by its reply or an error;
        // everything else by an acknowledgement.
        return requests.send(type, data, (type & 3) === 2 ? flags : flags | NLM_F_ACK);
      });
    },
    dump(type, data) {
      return dumpLimit.run(async () => {
        for (let attempt = 1; ; attempt++) {
          if (closed) return { kind: 'closed' };
          dumps ??= createSocketLink(timeoutMs);
          const answer = await dumps.send(type, data, NLM_F_DUMP);
          const interrupted = answer.kind === 'ok' && answer.messages.some((m) => (m.flags & NLM_F_DUMP_INTR) !== 0);
          if (!interrupted || attempt === DUMP_ATTEMPTS) return answer;
        }
      });
    },
    close() {
      if (closed) return;
      closed = true;
      requests?.close();
      dumps?.close();
    },
  };
}
