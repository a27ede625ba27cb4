// Property: whatever the interleaving of writes, dropped watches, 410s and compactions, once the
// faults stop the snapshot equals the server's state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { watchResource } from './watch-resource.ts';
import { createFakeClock, flushPromises } from './testing/fake-clock.ts';
import type { WatchEvent, WatchHandlers, WatchTransport } from './watch-types.ts';

interface Obj {
  metadata: { name: string; namespace: string; resourceVersion: string };
}

/** An in-memory collection with resource versions, an event history that can be compacted, and watches that can be cut. */
function fakeServer() {
  let rv = 1;
  const objects = new Map<string, Obj>();
  let history: { rv: number; event: WatchEvent }[] = [];
  let oldest = 1;
  const watchers = new Set<{ handlers: WatchHandlers; from: number }>();

  const publish = (event: WatchEvent) => {
    history.push({ rv, event });
    for (const w of watchers) w.handlers.onEvent(event);
  };

  const transport: WatchTransport = {
    list: async () => {
      await Promise.resolve();
      return {
        ok: true,
        value: { items: [...objects.values()], resourceVersion: String(rv), continueToken: undefined },
      };
    },
    watch: (request, handlers) => {
      const from = Number(request.resourceVersion);
      const w = { handlers, from };
      queueMicrotask(() => {
        if (from < oldest - 1) {
          handlers.onEvent({
            type: 'ERROR',
            code: 410,
            reason: 'Expired',
            message: `too old resource version: ${from}`,
          });
          return;
        }
        for (const h of history) if (h.rv > from) handlers.onEvent(h.event);
        watchers.add(w);
      });
      return { cancel: () => watchers.delete(w) };
    },
  };

  return {
    transport,
    put(name: string) {
      rv++;
      const o: Obj = { metadata: { name, namespace: 'ns', resourceVersion: String(rv) } };
      const type = objects.has(name) ? 'MODIFIED' : 'ADDED';
      objects.set(name, o);
      publish({ type, object: o });
    },
    del(name: string) {
      const o = objects.get(name);
      if (o === undefined) return;
      rv++;
      objects.delete(name);
      publish({ type: 'DELETED', object: { metadata: { ...o.metadata, resourceVersion: String(rv) } } });
    },
    drop(kind: 'network' | 'clean' | 'gone') {
      for (const w of [...watchers]) {
        watchers.delete(w);
        if (kind === 'gone') w.handlers.onEvent({ type: 'ERROR', code: 410, reason: 'Expired', message: 'gone' });
        else w.handlers.onEnd(kind === 'clean' ? undefined : { code: 'Network', message: 'reset' });
      }
    },
    compact() {
      history = [];
      oldest = rv + 1;
    },
    state: () => Object.fromEntries([...objects].map(([k, o]) => [`ns/${k}`, o.metadata.resourceVersion])),
  };
}

const name = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const step = fc.oneof(
  fc.record({ op: fc.constant('put' as const), name }),
  fc.record({ op: fc.constant('del' as const), name }),
  fc.record({
    op: fc.constant('drop' as const),
    kind: fc.constantFrom('network' as const, 'clean' as const, 'gone' as const),
  }),
  fc.record({ op: fc.constant('compact' as const) }),
  fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 3000 }) }),
);

describe('watchResource convergence', () => {
  it('converges to the server state after any interleaving of writes and faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 40 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        async (steps, r) => {
          const server = fakeServer();
          const clock = createFakeClock();
          const w = watchResource<Obj>({ transport: server.transport, path: '/x', clock, random: () => r });
          for (const s of steps) {
            switch (s.op) {
              case 'put':
                server.put(s.name);
                break;
              case 'del':
                server.del(s.name);
                break;
              case 'drop':
                server.drop(s.kind);
                break;
              case 'compact':
                server.compact();
                break;
              case 'tick':
                await clock.advanceAsync(s.ms);
                break;
            }
            await flushPromises(2);
          }
          await clock.advanceAsync(60_000);
          const seen = Object.fromEntries(
            [...(w.current() ?? new Map<string, Obj>())].map(([k, o]) => [k, o.metadata.resourceVersion]),
          );
          w.stop();
          expect(seen).toEqual(server.state());
        },
      ),
      { numRuns: 300 },
    );
  });
});
