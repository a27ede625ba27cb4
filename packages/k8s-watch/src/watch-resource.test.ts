import { describe, expect, it } from 'vitest';
import { watchResource } from './watch-resource.ts';
import { createFakeClock, flushPromises } from './testing/fake-clock.ts';
import { createScriptedTransport } from './testing/scripted-transport.ts';
import type { SnapshotUpdate, WatchStatus } from './watch-types.ts';

interface Obj {
  metadata: { name: string; namespace?: string; resourceVersion: string };
  data?: string;
}

const obj = (name: string, rv: string, data?: string, namespace = 'ns'): Obj => ({
  metadata: { name, namespace, resourceVersion: rv },
  ...(data === undefined ? {} : { data }),
});

function setup(extra: { coalesceMs?: number; pageSize?: number; project?: (raw: object) => Obj } = {}) {
  const transport = createScriptedTransport();
  const clock = createFakeClock();
  const w = watchResource<Obj>({
    transport,
    path: '/api/v1/configmaps',
    labelSelector: 'app=x',
    clock,
    random: () => 0,
    backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 },
    ...extra,
  });
  const updates: SnapshotUpdate<Obj>[] = [];
  const statuses: WatchStatus[] = [];
  const synced: boolean[] = [];
  w.updates$.subscribe((u) => updates.push(u));
  w.status$.subscribe((s) => statuses.push(s));
  w.synced$.subscribe((s) => synced.push(s));
  return { transport, clock, w, updates, statuses, synced, status: () => statuses.at(-1)! };
}

/** Lists `items` at `rv` and lets the loop open its watch. */
async function initialList(s: ReturnType<typeof setup>, items: Obj[], rv: string) {
  s.transport.takeList().respond({ items, resourceVersion: rv });
  await flushPromises();
}

const keys = (u: SnapshotUpdate<Obj> | undefined) => [...(u?.changed ?? [])].sort();
const content = (m: ReadonlyMap<string, Obj> | undefined) =>
  Object.fromEntries([...(m ?? new Map<string, Obj>())].map(([k, v]) => [k, v.metadata.resourceVersion]));

describe('watchResource', () => {
  it('emits nothing before the initial list, then the whole collection and starts watching from its version', async () => {
    const s = setup();
    expect(s.w.current()).toBeUndefined();
    expect(s.synced).toEqual([false]);
    expect(s.transport.listRequests[0]).toMatchObject({
      path: '/api/v1/configmaps',
      labelSelector: 'app=x',
      limit: 500,
    });
    let syncedAt: boolean | undefined;
    void s.w.whenSynced().then((v) => (syncedAt = v));
    await flushPromises();
    expect(s.updates).toHaveLength(0);
    await initialList(s, [obj('a', '5'), obj('b', '7')], '10');
    expect(s.updates).toHaveLength(1);
    expect(s.updates[0]).toMatchObject({ initial: true, resourceVersion: '10' });
    expect(keys(s.updates[0])).toEqual(['ns/a', 'ns/b']);
    expect(s.synced).toEqual([false, true]);
    expect(syncedAt).toBe(true);
    expect(s.transport.lastWatch().request).toMatchObject({
      resourceVersion: '10',
      labelSelector: 'app=x',
      timeoutSeconds: 300,
    });
    expect(s.status()).toMatchObject({ phase: 'watching', synced: true, restarts: 0, relists: 0 });
    s.w.stop();
  });

  it('follows continue tokens and emits once after the last page', async () => {
    const s = setup({ pageSize: 2 });
    s.transport
      .takeList()
      .respond({ items: [obj('a', '1'), obj('b', '2')], resourceVersion: '9', continueToken: 'c1' });
    await flushPromises();
    expect(s.transport.listRequests[1]).toMatchObject({ continueToken: 'c1', limit: 2 });
    expect(s.updates).toHaveLength(0);
    s.transport.takeList().respond({ items: [obj('c', '3')], resourceVersion: '9' });
    await flushPromises();
    expect(content(s.w.current())).toEqual({ 'ns/a': '1', 'ns/b': '2', 'ns/c': '3' });
    s.w.stop();
  });

  it('coalesces a burst of events into one emission and never mutates an emitted snapshot', async () => {
    const s = setup();
    await initialList(s, [obj('a', '5'), obj('b', '7')], '10');
    const first = s.w.current()!;
    const watch = s.transport.lastWatch();
    watch.emit({ type: 'ADDED', object: obj('c', '11') });
    watch.emit({ type: 'MODIFIED', object: obj('a', '12', 'x') });
    watch.emit({ type: 'DELETED', object: obj('b', '13') });
    watch.emit({ type: 'ADDED', object: obj('tmp', '14') });
    watch.emit({ type: 'DELETED', object: obj('tmp', '15') });
    expect(s.updates).toHaveLength(1);
    s.clock.advance(0);
    expect(s.updates).toHaveLength(2);
    expect(keys(s.updates[1])).toEqual(['ns/a', 'ns/b', 'ns/c']);
    expect(s.updates[1]).toMatchObject({ initial: false, resourceVersion: '15' });
    expect(content(s.w.current())).toEqual({ 'ns/a': '12', 'ns/c': '11' });
    expect(content(first)).toEqual({ 'ns/a': '5', 'ns/b': '7' });
    s.w.stop();
  });

  it('waits coalesceMs to gather events', async () => {
    const s = setup({ coalesceMs: 50 });
    await initialList(s, [], '1');
    s.transport.lastWatch().emit({ type: 'ADDED', object: obj('a', '2') });
    s.clock.advance(49);
    s.transport.lastWatch().emit({ type: 'ADDED', object: obj('b', '3') });
    expect(s.updates).toHaveLength(1);
    s.clock.advance(1);
    expect(keys(s.updates[1])).toEqual(['ns/a', 'ns/b']);
    s.w.stop();
  });

  it('resumes at once from the last bookmark after a clean end of a healthy watch', async () => {
    const s = setup();
    await initialList(s, [obj('a', '5')], '10');
    s.transport.lastWatch().emit({ type: 'BOOKMARK', resourceVersion: '42' });
    s.transport.lastWatch().end();
    expect(s.transport.watches).toHaveLength(2);
    expect(s.transport.lastWatch().request.resourceVersion).toBe('42');
    expect(s.transport.listRequests).toHaveLength(1);
    expect(s.status()).toMatchObject({ restarts: 0, phase: 'watching' });
    s.w.stop();
  });

  it('relists at once on an in-stream 410 and converges: deletions during the outage disappear, unchanged objects keep identity', async () => {
    const s = setup();
    await initialList(s, [obj('a', '5'), obj('b', '7'), obj('c', '8')], '10');
    const keep = s.w.current()!.get('ns/a');
    const watch = s.transport.lastWatch();
    watch.emit({ type: 'ERROR', code: 410, reason: 'Expired', message: 'too old resource version: 10 (300)' });
    expect(watch.cancelled).toBe(true);
    expect(s.status()).toMatchObject({ phase: 'waiting', retryInMs: 0, lastError: { code: 'Gone' } });
    s.clock.advance(0);
    expect(s.transport.listRequests).toHaveLength(2);
    await initialList(s, [obj('a', '5'), obj('c', '301'), obj('d', '302')], '310');
    s.clock.advance(0);
    expect(content(s.w.current())).toEqual({ 'ns/a': '5', 'ns/c': '301', 'ns/d': '302' });
    expect(keys(s.updates.at(-1))).toEqual(['ns/b', 'ns/c', 'ns/d']);
    expect(s.w.current()!.get('ns/a')).toBe(keep);
    expect(s.transport.lastWatch().request.resourceVersion).toBe('310');
    expect(s.status()).toMatchObject({ relists: 1, restarts: 1, phase: 'watching' });
    s.w.stop();
  });

  it('stores only what `project` keeps, of listed and watched objects, and a relist keeps unchanged ones', async () => {
    const projected: unknown[] = [];
    const s = setup({
      project: (raw) => {
        projected.push(raw);
        const { metadata } = raw as Obj;
        const kept: Obj = { metadata: { name: metadata.name, resourceVersion: metadata.resourceVersion } };
        if (metadata.namespace !== undefined) kept.metadata.namespace = metadata.namespace;
        return kept;
      },
    });
    const heavy = (name: string, rv: string): Obj & { managedFields: string } => ({
      ...obj(name, rv, 'payload'),
      managedFields: 'x'.repeat(1000),
    });
    await initialList(s, [heavy('a', '5'), heavy('b', '6')], '10');
    const a = s.w.current()!.get('ns/a');
    expect(a).toEqual({ metadata: { name: 'a', namespace: 'ns', resourceVersion: '5' } });
    s.transport.lastWatch().emit({ type: 'MODIFIED', object: heavy('b', '11') });
    s.clock.advance(0);
    expect(s.w.current()!.get('ns/b')).toEqual({ metadata: { name: 'b', namespace: 'ns', resourceVersion: '11' } });
    s.transport.lastWatch().emit({ type: 'ERROR', code: 410, reason: 'Expired', message: 'gone' });
    s.clock.advance(0);
    await initialList(s, [heavy('a', '5'), heavy('b', '11')], '20');
    s.clock.advance(0);
    expect(s.w.current()!.get('ns/a')).toBe(a);
    expect(projected).toHaveLength(5);
    s.w.stop();
  });

  it('relists when the watch request itself is answered 410', async () => {
    const s = setup();
    await initialList(s, [obj('a', '5')], '10');
    s.transport.lastWatch().end({ code: 'Gone', message: 'HTTP 410' });
    s.clock.advance(0);
    await initialList(s, [], '20');
    s.clock.advance(0);
    expect(s.w.current()!.size).toBe(0);
    s.w.stop();
  });

  it('a relist that changes nothing emits nothing', async () => {
    const s = setup();
    await initialList(s, [obj('a', '5')], '10');
    s.transport.lastWatch().emit({ type: 'ERROR', code: 410, reason: 'Expired', message: 'gone' });
    s.clock.advance(0);
    await initialList(s, [obj('a', '5')], '11');
    s.clock.advance(0);
    expect(s.updates).toHaveLength(1);
    s.w.stop();
  });

  it('restarts a failed watch from its last version with capped exponential backoff, reset once healthy', async () => {
    const s = setup();
    await initialList(s, [obj('a', '5')], '10');
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      s.transport.lastWatch().end({ code: 'Network', message: 'connect ECONNREFUSED 127.0.0.1:6443' });
      delays.push(s.status().retryInMs!);
      s.clock.advance(s.status().retryInMs! - 1);
      expect(s.status().phase).toBe('waiting');
      s.clock.advance(1);
      expect(s.transport.lastWatch().request.resourceVersion).toBe('10');
    }
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(s.transport.listRequests).toHaveLength(1);
    expect(s.status()).toMatchObject({ restarts: 6, relists: 0, lastError: { code: 'Network' } });
    s.transport.lastWatch().emit({ type: 'MODIFIED', object: obj('a', '11') });
    s.transport.lastWatch().end({ code: 'Timeout', message: 'no data for 330 s' });
    expect(s.status().retryInMs).toBe(100);
    s.w.stop();
  });

  it('treats a watch closed at once without any event as a failure', async () => {
    const s = setup();
    await initialList(s, [], '10');
    s.transport.lastWatch().end();
    expect(s.status()).toMatchObject({ phase: 'waiting', retryInMs: 100, lastError: { code: 'Closed' } });
    s.clock.advance(100);
    s.clock.advance(1000);
    s.transport.lastWatch().end();
    expect(s.status()).toMatchObject({ phase: 'watching', restarts: 1 });
    s.w.stop();
  });

  it('retries a failed list with backoff and stays unsynced meanwhile', async () => {
    const s = setup();
    s.transport.takeList().fail({ code: 'HttpStatus', status: 503, message: 'Service Unavailable' });
    await flushPromises();
    expect(s.status()).toMatchObject({
      phase: 'waiting',
      retryInMs: 100,
      synced: false,
      lastError: { code: 'HttpStatus', status: 503 },
    });
    s.clock.advance(100);
    s.transport.takeList().fail({ code: 'Network', message: 'ECONNRESET' });
    await flushPromises();
    expect(s.status().retryInMs).toBe(200);
    s.clock.advance(200);
    await initialList(s, [obj('a', '1')], '3');
    expect(s.synced).toEqual([false, true]);
    expect(s.status()).toMatchObject({ relists: 0, restarts: 2 });
    s.w.stop();
  });

  it('a 410 in the middle of a paged list starts the list over', async () => {
    const s = setup({ pageSize: 1 });
    s.transport.takeList().respond({ items: [obj('a', '1')], resourceVersion: '5', continueToken: 'c' });
    await flushPromises();
    s.transport.takeList().fail({ code: 'Gone', message: 'continue token expired' });
    await flushPromises();
    s.clock.advance(0);
    expect(s.transport.listRequests.at(-1)!.continueToken).toBeUndefined();
    await initialList(s, [obj('b', '9')], '9');
    expect(content(s.w.current())).toEqual({ 'ns/b': '9' });
    s.w.stop();
  });

  it('skips objects it cannot key and says so in the status', async () => {
    const s = setup();
    await initialList(s, [obj('a', '1'), { metadata: {} } as unknown as Obj], '3');
    expect(content(s.w.current())).toEqual({ 'ns/a': '1' });
    expect(s.status().lastError).toMatchObject({ code: 'Undecodable' });
    s.transport.lastWatch().emit({ type: 'ADDED', object: 'garbage' });
    s.transport.lastWatch().emit({ type: 'ADDED', object: null });
    s.transport.lastWatch().emit({ type: 'ADDED', object: obj('b', '4', undefined, '') });
    s.clock.advance(0);
    expect(content(s.w.current())).toEqual({ 'ns/a': '1', b: '4' });
    s.w.stop();
  });

  it('an ERROR event other than 410 restarts the watch from the last version', async () => {
    const s = setup();
    await initialList(s, [], '10');
    s.transport.lastWatch().emit({ type: 'ERROR', code: 500, reason: 'InternalError', message: 'etcd leader changed' });
    expect(s.status().lastError).toEqual({ code: 'StreamError', status: 500, message: 'etcd leader changed' });
    s.clock.advance(100);
    expect(s.transport.lastWatch().request.resourceVersion).toBe('10');
    expect(s.transport.listRequests).toHaveLength(1);
    s.w.stop();
  });

  it('stop cancels the stream and timers, completes the observables and ignores late answers', async () => {
    const s = setup();
    await initialList(s, [obj('a', '1')], '3');
    const watch = s.transport.lastWatch();
    let completed = 0;
    s.w.snapshots$.subscribe({ complete: () => completed++ });
    s.w.status$.subscribe({ complete: () => completed++ });
    s.w.synced$.subscribe({ complete: () => completed++ });
    watch.emit({ type: 'ADDED', object: obj('b', '4') });
    s.w.stop();
    s.w.stop();
    expect(watch.cancelled).toBe(true);
    expect(completed).toBe(3);
    expect(s.clock.pendingTimers()).toBe(0);
    expect(s.status().phase).toBe('stopped');
    s.clock.advance(100_000);
    expect(s.transport.watches).toHaveLength(1);
    expect(s.transport.listRequests).toHaveLength(1);
  });

  it('whenSynced resolves false when stopped before the initial list', async () => {
    const s = setup();
    const result = s.w.whenSynced();
    s.w.stop();
    expect(await result).toBe(false);
    s.transport.takeList().respond({ items: [obj('a', '1')], resourceVersion: '1' });
    await flushPromises();
    expect(s.w.current()).toBeUndefined();
  });

  it('late subscribers get the latest snapshot', async () => {
    const s = setup();
    await initialList(s, [obj('a', '1')], '3');
    s.transport.lastWatch().emit({ type: 'ADDED', object: obj('b', '4') });
    s.clock.advance(0);
    const seen: number[] = [];
    s.w.snapshots$.subscribe((snap) => seen.push(snap.size));
    expect(seen).toEqual([2]);
    s.w.stop();
  });

  it('keys cluster-scoped objects by name and accepts a custom key', async () => {
    const transport = createScriptedTransport();
    const w = watchResource<Obj>({
      transport,
      path: '/api/v1/nodes',
      clock: createFakeClock(),
      keyOf: (o) => `node:${o.metadata.name}`,
    });
    transport.takeList().respond({ items: [obj('n1', '1', undefined, '')], resourceVersion: '1' });
    await flushPromises();
    expect([...w.current()!.keys()]).toEqual(['node:n1']);
    w.stop();
  });
});
