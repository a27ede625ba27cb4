import type { ClusterWriter, EventRecorder, RecordOutcome, ApiResult, Written } from '@purelb/k8s-watch';
import { describe, expect, it } from 'vitest';
import { executeGroupPlan, executeServicePlan } from './execute-plan.ts';
import type { ExecuteDeps } from './execute-plan.ts';
import type { ServiceAction } from './plan-service.ts';

type Call = [string, ...unknown[]];
const ok: ApiResult<Written> = { ok: true, value: { resourceVersion: '1' } };

function fakes(
  results: Partial<Record<'status' | 'annotations' | 'custom', ApiResult<Written>>> = {},
  event: RecordOutcome = { kind: 'posted' },
) {
  const calls: Call[] = [];
  const writer: ExecuteDeps['writer'] = {
    patchServiceStatus: (ref, status) => {
      calls.push(['status', ref, status]);
      return Promise.resolve(results.status ?? ok);
    },
    patchAnnotations: (target, change) => {
      calls.push(['annotations', target, change]);
      return Promise.resolve(results.annotations ?? ok);
    },
    patchCustomStatus: (ref, status) => {
      calls.push(['custom', ref, status]);
      return Promise.resolve(results.custom ?? ok);
    },
  } satisfies Pick<ClusterWriter, 'patchServiceStatus' | 'patchAnnotations' | 'patchCustomStatus'>;
  const recorder: Pick<EventRecorder, 'record'> = {
    record: (object, e) => {
      calls.push(['event', object, e]);
      return Promise.resolve(event);
    },
  };
  return { calls, writer, recorder };
}

const plan: ServiceAction[] = [
  { kind: 'patch-status', status: { loadBalancer: { ingress: [{ ip: '192.0.2.1', ipMode: 'VIP' }] } } },
  { kind: 'patch-annotations', set: { 'purelb.io/allocated-by': 'PureLB' }, remove: [] },
  { kind: 'event', type: 'Normal', reason: 'AddressAssigned', message: 'Assigned 192.0.2.1', slot: 'allocation' },
];
const ref = { namespace: 'ns', name: 'web', uid: 'u-1' };

describe('executeServicePlan', () => {
  it('writes in order and counts what it wrote', async () => {
    const f = fakes();
    const r = await executeServicePlan(plan, ref, { ...f, canWrite: () => true });
    expect(r).toEqual({ kind: 'done', writes: 3 });
    expect(f.calls.map((c) => c[0])).toEqual(['status', 'annotations', 'event']);
    expect(f.calls[2]?.[1]).toEqual({ apiVersion: 'v1', kind: 'Service', namespace: 'ns', name: 'web', uid: 'u-1' });
    expect(f.calls[2]?.[2]).toEqual({
      type: 'Normal',
      reason: 'AddressAssigned',
      message: 'Assigned 192.0.2.1',
      slot: 'allocation',
    });
  });

  it('asks for leadership before every write and stops at once without it', async () => {
    const f = fakes();
    let asked = 0;
    const r = await executeServicePlan(plan, ref, { ...f, canWrite: () => ++asked < 2 });
    expect(r).toEqual({ kind: 'not-leader' });
    expect(f.calls.map((c) => c[0])).toEqual(['status']);
    expect(asked).toBe(2);
  });

  it('stops at the first failed write; NotFound means the object is gone', async () => {
    const conflict = fakes({ status: { ok: false, error: { code: 'Unavailable', status: 503, message: 'down' } } });
    expect(await executeServicePlan(plan, ref, { ...conflict, canWrite: () => true })).toEqual({
      kind: 'failed',
      action: 'patch-status',
      error: { code: 'Unavailable', status: 503, message: 'down' },
    });
    expect(conflict.calls).toHaveLength(1);
    const gone = fakes({ annotations: { ok: false, error: { code: 'NotFound', status: 404, message: 'gone' } } });
    expect(await executeServicePlan(plan, ref, { ...gone, canWrite: () => true })).toEqual({ kind: 'gone' });
  });

  it('a failed or duplicate Event does not fail the batch; failures are reported', async () => {
    const failed: string[] = [];
    const f = fakes({}, { kind: 'failed', error: { code: 'Forbidden', status: 403, message: 'no' } });
    const r = await executeServicePlan(plan, ref, {
      ...f,
      canWrite: () => true,
      onEventFailed: (reason) => failed.push(reason),
    });
    expect(r).toEqual({ kind: 'done', writes: 2 });
    expect(failed).toEqual(['AddressAssigned']);
    const d = fakes({}, { kind: 'duplicate' });
    expect(await executeServicePlan(plan, ref, { ...d, canWrite: () => true })).toEqual({ kind: 'done', writes: 2 });
  });
});

describe('executeGroupPlan', () => {
  it('patches the ServiceGroup status subresource and records Events on the group', async () => {
    const f = fakes();
    const r = await executeGroupPlan(
      [
        { kind: 'patch-status', status: { observedGeneration: 2 } },
        { kind: 'event', type: 'Warning', reason: 'Overlap', message: 'overlaps "a"' },
      ],
      { namespace: 'purelb', name: 'b', uid: undefined },
      { ...f, canWrite: () => true },
    );
    expect(r).toEqual({ kind: 'done', writes: 2 });
    expect(f.calls[0]).toEqual([
      'custom',
      { group: 'purelb.io', version: 'v1', plural: 'servicegroups', namespace: 'purelb', name: 'b' },
      { observedGeneration: 2 },
    ]);
    expect(f.calls[1]?.[1]).toEqual({
      apiVersion: 'purelb.io/v1',
      kind: 'ServiceGroup',
      namespace: 'purelb',
      name: 'b',
    });
  });
});
