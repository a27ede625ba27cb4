import { describe, expect, it } from 'vitest';
import { createEventRecorder } from '../event-recorder.ts';
import { watchResource } from '../watch-resource.ts';
import type { KubeObject } from '../watch-types.ts';
import { createFakeApiServer } from './fake-api-server.ts';
import type { FakeWrite } from './fake-api-server.ts';
import { createFakeClock, flushPromises } from './fake-clock.ts';
import { CONDITION_PATCH_STEPS, byType } from './condition-patch-steps.ts';
import { applyMergePatch } from './merge-patch.ts';

interface Svc extends KubeObject {
  readonly metadata: {
    name: string;
    namespace: string;
    uid?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
  };
  readonly spec?: { type: string };
  readonly status?: { loadBalancer?: { ingress?: { ip: string }[] } };
}

const svc = (namespace: string, name: string): Svc => ({
  metadata: { name, namespace },
  spec: { type: 'LoadBalancer' },
});

describe('applyMergePatch', () => {
  it('merges objects key by key, deletes on null, replaces arrays and scalars', () => {
    const target = { a: { b: 1, c: [1, 2] }, d: 'x', e: true };
    expect(applyMergePatch(target, { a: { b: null, c: [3] }, d: null, f: { g: 1 } })).toEqual({
      a: { c: [3] },
      e: true,
      f: { g: 1 },
    });
    expect(target).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x', e: true });
    expect(applyMergePatch({ a: 1 }, 'text')).toBe('text');
  });
});

describe('createFakeApiServer', () => {
  it('serves what was put to a watch, then every write, as a real server would', async () => {
    const api = createFakeApiServer();
    api.put('/api/v1/namespaces/a/services', svc('a', 'web'));
    api.put('/api/v1/namespaces/b/services', svc('b', 'db'));
    const clock = createFakeClock();
    const watch = watchResource<Svc>({ transport: api.transport, path: '/api/v1/services', clock });
    await clock.advanceAsync(1);
    expect(await watch.whenSynced()).toBe(true);
    expect([...(watch.current()?.keys() ?? [])]).toEqual(['a/web', 'b/db']);
    expect(watch.current()?.get('a/web')?.metadata.uid).toMatch(/^uid-/);

    const status = await api.writer.patchServiceStatus(
      { namespace: 'a', name: 'web' },
      { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
    );
    expect(status.ok).toBe(true);
    const annotated = await api.writer.patchAnnotations(
      { kind: 'Service', namespace: 'a', name: 'web' },
      { set: { 'purelb.io/allocated-by': 'PureLB' } },
    );
    expect(annotated.ok).toBe(true);
    await clock.advanceAsync(1);
    const web = watch.current()?.get('a/web');
    expect(web?.status).toEqual({ loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } });
    expect(web?.metadata.annotations).toEqual({ 'purelb.io/allocated-by': 'PureLB' });
    expect(web?.spec).toEqual({ type: 'LoadBalancer' });

    api.remove('/api/v1/namespaces/b/services/db');
    await clock.advanceAsync(1);
    expect([...(watch.current()?.keys() ?? [])]).toEqual(['a/web']);
    watch.stop();
  });

  it('a status patch changes only the status; a write to a missing object is NotFound; an empty annotation change sends nothing', async () => {
    const api = createFakeApiServer();
    api.put('/apis/purelb.io/v1/namespaces/purelb/servicegroups', { metadata: { name: 'g' }, spec: { local: {} } });
    const r = await api.writer.patchCustomStatus(
      { group: 'purelb.io', version: 'v1', plural: 'servicegroups', namespace: 'purelb', name: 'g' },
      { conditions: [{ type: 'Ready', status: 'True' }] },
    );
    expect(r.ok).toBe(true);
    expect(api.get('/apis/purelb.io/v1/namespaces/purelb/servicegroups/g')).toMatchObject({
      spec: { local: {} },
      status: { conditions: [{ type: 'Ready' }] },
    });
    const missing = await api.writer.patchServiceStatus({ namespace: 'a', name: 'nope' }, {});
    expect(missing).toEqual({
      ok: false,
      error: { code: 'NotFound', status: 404, message: '/api/v1/namespaces/a/services/nope not found' },
    });
    expect((await api.writer.patchAnnotations({ kind: 'Service', namespace: 'a', name: 'nope' }, {})).ok).toBe(true);
    expect(api.writes.map((w) => [w.op, w.outcome])).toEqual([
      ['patch-custom-status', 'ok'],
      ['patch-status', 'NotFound'],
    ]);
  });

  it('merges Service conditions by type, as the real API server does', async () => {
    const api = createFakeApiServer();
    api.put('/api/v1/namespaces/a/services', svc('a', 'web'));
    for (const step of CONDITION_PATCH_STEPS) {
      expect((await api.writer.patchServiceStatus({ namespace: 'a', name: 'web' }, step.status)).ok).toBe(true);
      const stored = api.get('/api/v1/namespaces/a/services/web') as { status?: { conditions?: unknown } };
      expect(byType((stored.status?.conditions as unknown[] | undefined) ?? []), step.what).toEqual(step.conditions);
    }
    expect(api.get('/api/v1/namespaces/a/services/web')).toMatchObject({
      status: { loadBalancer: { ingress: [{ ip: '192.0.2.20', ipMode: 'VIP' }] } },
    });
  });

  it('stores Events posted through an EventRecorder', async () => {
    const api = createFakeApiServer();
    const recorder = createEventRecorder({
      writer: api.writer,
      component: 'purelb-allocator',
      wallClock: () => new Date(0),
    });
    await recorder.record(
      { apiVersion: 'v1', kind: 'Service', namespace: 'a', name: 'web' },
      { type: 'Normal', reason: 'AddressAssigned', message: 'Assigned 192.0.2.1' },
    );
    expect(api.list('/api/v1/namespaces/a/events')).toMatchObject([
      { reason: 'AddressAssigned', involvedObject: { name: 'web' }, metadata: { namespace: 'a' } },
    ]);
  });

  it('fails or holds writes by rule, and records each', async () => {
    const api = createFakeApiServer();
    api.put('/api/v1/namespaces/a/services', svc('a', 'web'));
    const seen: FakeWrite[] = [];
    let release: (() => void) | undefined;
    api.setWriteRule((w) => {
      seen.push(w);
      if (w.op === 'patch-annotations') return { code: 'Forbidden', status: 403, message: 'no' };
      return new Promise((resolve) => {
        release = () => {
          resolve(undefined);
        };
      });
    });
    expect(
      await api.writer.patchAnnotations({ kind: 'Service', namespace: 'a', name: 'web' }, { set: { x: 'y' } }),
    ).toMatchObject({ ok: false, error: { code: 'Forbidden' } });
    const held = api.writer.patchServiceStatus({ namespace: 'a', name: 'web' }, { x: 1 });
    await flushPromises();
    expect(api.get('/api/v1/namespaces/a/services/web')).not.toHaveProperty('status');
    release?.();
    expect((await held).ok).toBe(true);
    expect(api.get('/api/v1/namespaces/a/services/web')).toHaveProperty('status', { x: 1 });
    expect(seen.map((w) => w.path)).toEqual(['/api/v1/namespaces/a/services/web', '/api/v1/namespaces/a/services/web']);
    expect(api.writes.map((w) => w.outcome)).toEqual(['Forbidden', 'ok']);
  });

  it('a dropped watch is watched again from where it was, missing nothing', async () => {
    const api = createFakeApiServer();
    const clock = createFakeClock();
    const watch = watchResource<Svc>({ transport: api.transport, path: '/api/v1/namespaces/a/services', clock });
    await clock.advanceAsync(1);
    expect(await watch.whenSynced()).toBe(true);
    api.dropWatches({ code: 'Network', message: 'connection reset' });
    api.put('/api/v1/namespaces/a/services', svc('a', 'while-down'));
    api.put('/api/v1/namespaces/other/services', svc('other', 'elsewhere'));
    await clock.advanceAsync(60_000);
    expect([...(watch.current()?.keys() ?? [])]).toEqual(['a/while-down']);
    expect(watch.current()?.get('a/while-down')?.metadata.resourceVersion).toBe('1');
    watch.stop();
  });
});
