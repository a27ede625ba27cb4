// @purelb/k8s-watch and its ./testing doubles, as a consumer outside the workspace uses them: a work
// queue that retries on a hand-driven clock, and a write through the in-memory API server.
import assert from 'node:assert/strict';
import { createWorkQueue } from '@purelb/k8s-watch';
import type { ReconcileOutcome } from '@purelb/k8s-watch';
import { createFakeApiServer, createFakeClock, flushPromises } from '@purelb/k8s-watch/testing';

const clock = createFakeClock();
const tries: string[] = [];
const queue = createWorkQueue<string>({
  clock,
  reconcile: (key): Promise<ReconcileOutcome> => {
    tries.push(key);
    return Promise.resolve(
      tries.length === 1 ? { kind: 'retry', afterMs: 1_000, reason: 'not yet' } : { kind: 'converged' },
    );
  },
});
queue.add('ns/web');
await queue.idle();
clock.advance(1_000);
await flushPromises();
await queue.idle();
assert.deepEqual(tries, ['ns/web', 'ns/web']);
await queue.stop();

const api = createFakeApiServer();
api.put('/api/v1/namespaces/ns/services', { metadata: { name: 'web', namespace: 'ns' } });
const written = await api.writer.patchAnnotations(
  { kind: 'Service', namespace: 'ns', name: 'web' },
  { set: { 'purelb.io/allocated-by': 'PureLB' } },
);
assert.ok(written.ok);
assert.deepEqual(
  (api.get('/api/v1/namespaces/ns/services/web') as { metadata: { annotations: unknown } }).metadata.annotations,
  {
    'purelb.io/allocated-by': 'PureLB',
  },
);
console.log('ok @purelb/k8s-watch');
