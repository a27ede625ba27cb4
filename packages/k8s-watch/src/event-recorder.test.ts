import { describe, expect, it } from 'vitest';
import type { CoreEvent } from './cluster-writer.ts';
import { createEventRecorder } from './event-recorder.ts';
import type { InvolvedObject } from './event-recorder.ts';
import type { ApiResult } from './api-result.ts';

const svc: InvolvedObject = { apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'front', uid: 'u-1' };

function setup(maxObjects?: number) {
  const posted: CoreEvent[] = [];
  let fail = false;
  const writer = {
    createEvent: (event: CoreEvent): Promise<ApiResult<{ resourceVersion: string | undefined }>> => {
      if (fail)
        return Promise.resolve({ ok: false, error: { code: 'Unavailable', status: 503, message: 'etcd timeout' } });
      posted.push(event);
      return Promise.resolve({ ok: true, value: { resourceVersion: String(posted.length) } });
    },
  };
  const recorder = createEventRecorder({
    writer,
    component: 'purelb-allocator',
    host: 'allocator-0',
    wallClock: () => new Date('2026-03-04T05:06:07.891Z'),
    ...(maxObjects === undefined ? {} : { maxObjects }),
  });
  return { recorder, posted, setFail: (v: boolean) => (fail = v) };
}

describe('createEventRecorder', () => {
  it('posts a core/v1 Event for the object', async () => {
    const { recorder, posted } = setup();
    expect(
      await recorder.record(svc, {
        type: 'Warning',
        reason: 'PoolExhausted',
        message: 'no free IPv4 address in group default',
      }),
    ).toEqual({ kind: 'posted' });
    expect(posted).toEqual([
      {
        namespace: 'web',
        body: {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { generateName: 'front.', namespace: 'web' },
          involvedObject: { apiVersion: 'v1', kind: 'Service', name: 'front', namespace: 'web', uid: 'u-1' },
          type: 'Warning',
          reason: 'PoolExhausted',
          message: 'no free IPv4 address in group default',
          source: { component: 'purelb-allocator', host: 'allocator-0' },
          reportingComponent: 'purelb-allocator',
          reportingInstance: 'allocator-0',
          firstTimestamp: '2026-03-04T05:06:07Z',
          lastTimestamp: '2026-03-04T05:06:07Z',
          count: 1,
        },
      },
    ]);
  });

  it('does not post the same event twice while nothing changed', async () => {
    const { recorder, posted } = setup();
    const e = { type: 'Warning' as const, reason: 'PoolExhausted', message: 'full' };
    expect((await recorder.record(svc, e)).kind).toBe('posted');
    expect((await recorder.record(svc, e)).kind).toBe('duplicate');
    expect((await recorder.record({ ...svc }, e)).kind).toBe('duplicate');
    expect((await recorder.record({ ...svc, name: 'other' }, e)).kind).toBe('posted');
    expect((await recorder.record(svc, { ...e, message: 'still full' })).kind).toBe('posted');
    expect((await recorder.record(svc, { ...e, message: 'still full' })).kind).toBe('duplicate');
    expect(posted).toHaveLength(3);
  });

  it('posts again when the state moved on and came back within one slot', async () => {
    const { recorder } = setup();
    const failed = { type: 'Warning' as const, reason: 'PoolExhausted', message: 'full', slot: 'allocation' };
    const assigned = { type: 'Normal' as const, reason: 'AddressAssigned', message: '192.0.2.10', slot: 'allocation' };
    const kinds = [];
    for (const e of [failed, failed, assigned, assigned, failed, assigned])
      kinds.push((await recorder.record(svc, e)).kind);
    expect(kinds).toEqual(['posted', 'duplicate', 'posted', 'duplicate', 'posted', 'posted']);
  });

  it('keeps separate slots apart by default (one per reason)', async () => {
    const { recorder } = setup();
    const deprecated = {
      type: 'Normal' as const,
      reason: 'DeprecatedField',
      message: 'spec.loadBalancerIP is deprecated',
    };
    const assigned = { type: 'Normal' as const, reason: 'AddressAssigned', message: '192.0.2.10' };
    const kinds = [];
    for (const e of [deprecated, assigned, deprecated, assigned]) kinds.push((await recorder.record(svc, e)).kind);
    expect(kinds).toEqual(['posted', 'posted', 'duplicate', 'duplicate']);
  });

  it('reports a failed post and tries again next time', async () => {
    const { recorder, posted, setFail } = setup();
    const e = { type: 'Normal' as const, reason: 'AddressAssigned', message: '192.0.2.10' };
    setFail(true);
    expect(await recorder.record(svc, e)).toEqual({
      kind: 'failed',
      error: { code: 'Unavailable', status: 503, message: 'etcd timeout' },
    });
    setFail(false);
    expect((await recorder.record(svc, e)).kind).toBe('posted');
    expect(posted).toHaveLength(1);
  });

  it('treats concurrent identical records as one post', async () => {
    const { recorder, posted } = setup();
    const e = { type: 'Normal' as const, reason: 'AddressAssigned', message: '192.0.2.10' };
    const kinds = (await Promise.all([recorder.record(svc, e), recorder.record(svc, e)])).map((r) => r.kind).sort();
    expect(kinds).toEqual(['duplicate', 'posted']);
    expect(posted).toHaveLength(1);
  });

  it('forgets an object on request, a recreated object (new uid), and the least recently used beyond maxObjects', async () => {
    const { recorder } = setup(2);
    const e = { type: 'Normal' as const, reason: 'AddressAssigned', message: '192.0.2.10' };
    await recorder.record(svc, e);
    recorder.forget(svc);
    expect((await recorder.record(svc, e)).kind).toBe('posted');
    expect((await recorder.record({ ...svc, uid: 'u-2' }, e)).kind).toBe('posted');
    await recorder.record({ ...svc, name: 'b' }, e);
    await recorder.record({ ...svc, name: 'c' }, e);
    expect((await recorder.record(svc, e)).kind).toBe('posted');
  });

  it('sends cluster-scoped objects to the default namespace and cuts long messages', async () => {
    const { recorder, posted } = setup();
    await recorder.record(
      { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
      { type: 'Warning', reason: 'AnnounceFailed', message: 'x'.repeat(5000) },
    );
    expect(posted[0]!.namespace).toBe('default');
    expect((posted[0]!.body['message'] as string).length).toBe(1024);
    expect(posted[0]!.body['involvedObject']).toEqual({ apiVersion: 'v1', kind: 'Node', name: 'node-1' });
  });

  it('never throws, even when the writer does', async () => {
    const recorder = createEventRecorder({
      writer: { createEvent: () => Promise.reject(new Error('socket hang up')) },
      component: 'c',
    });
    expect(await recorder.record(svc, { type: 'Normal', reason: 'R', message: 'm' })).toEqual({
      kind: 'failed',
      error: { code: 'Unknown', status: undefined, message: 'socket hang up' },
    });
  });
});
