// A real driver in a child process, driven over stdin/stdout with one JSON object per line. Tests start
// it inside a network namespace (`ip netns exec <ns> node driver-child.fixture.ts`) so the driver
// works on that namespace's kernel state, as the node agent works on its node's.
//   in:  { id, method, args }            method: a NetlinkDriver method, or `subscribe` / `unsubscribe`
//   out: { id, result } | { event, sid } | { id, crash }
import { createInterface } from 'node:readline';
import type { Subscription } from 'rxjs';
import { createNetlinkDriver } from './create-netlink-driver.ts';

const driver = createNetlinkDriver();
const subscriptions = new Map<number, Subscription>();
const send = (message: object): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

interface Call {
  readonly id: number;
  readonly method: string;
  readonly args?: readonly unknown[];
}

const methods = driver as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

createInterface({ input: process.stdin }).on('line', (line) => {
  const call = JSON.parse(line) as Call;
  if (call.method === 'subscribe') {
    subscriptions.set(
      call.id,
      driver.changes().subscribe({
        next: (event) => {
          send({ sid: call.id, event });
        },
        error: (error: unknown) => {
          send({ sid: call.id, failed: error });
        },
      }),
    );
    send({ id: call.id, result: 'subscribed' });
    return;
  }
  if (call.method === 'unsubscribe') {
    const sid = Number(call.args?.[0]);
    subscriptions.get(sid)?.unsubscribe();
    subscriptions.delete(sid);
    send({ id: call.id, result: 'unsubscribed' });
    return;
  }
  const method = methods[call.method];
  if (method === undefined) {
    send({ id: call.id, crash: `no method ${call.method}` });
    return;
  }
  method.apply(driver, [...(call.args ?? [])]).then(
    (result) => {
      send({ id: call.id, result });
    },
    (error: unknown) => {
      send({ id: call.id, crash: String(error) });
    },
  );
});

process.stdin.on('end', () => {
  for (const s of subscriptions.values()) s.unsubscribe();
  driver.close();
});
send({ ready: true, pid: process.pid });
