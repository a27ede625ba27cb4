// The write helpers, the Event recorder and the Lease client against the run's real API server.
import {
  CoreV1Api,
  CustomObjectsApi,
  V1ObjectMeta,
  V1Service,
  V1ServicePort,
  V1ServiceSpec,
} from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { createTestNamespace } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClusterWriter } from './cluster-writer.ts';
import type { ClusterWriter } from './cluster-writer.ts';
import { createEventRecorder } from './event-recorder.ts';
import { createLeaseClient } from './lease-client.ts';
import { CONDITION_PATCH_STEPS, byType } from './testing/condition-patch-steps.ts';

let kc: KubeConfig;
let core: CoreV1Api;
let writer: ClusterWriter;
let namespace: string;

beforeAll(async () => {
  kc = testKubeConfig();
  core = kc.makeApiClient(CoreV1Api);
  writer = createClusterWriter(kc);
  namespace = await createTestNamespace(kc, 'writes');
});

async function loadBalancer(name: string): Promise<V1Service> {
  const svc = new V1Service();
  svc.apiVersion = 'v1';
  svc.kind = 'Service';
  svc.metadata = new V1ObjectMeta();
  svc.metadata.name = name;
  svc.metadata.annotations = { 'purelb.io/old': 'x' };
  svc.spec = new V1ServiceSpec();
  svc.spec.type = 'LoadBalancer';
  svc.spec.allocateLoadBalancerNodePorts = false;
  const port = new V1ServicePort();
  port.port = 80;
  port.protocol = 'TCP';
  svc.spec.ports = [port];
  return core.createNamespacedService({ namespace, body: svc });
}

describe('createClusterWriter on a real API server', () => {
  it('patches Service status, and clears it with null', async () => {
    await loadBalancer('status');
    const result = await writer.patchServiceStatus(
      { namespace, name: 'status' },
      { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } },
    );
    expect(result.ok && result.value.resourceVersion).toMatch(/^\d+$/);
    const read = await core.readNamespacedServiceStatus({ namespace, name: 'status' });
    expect(read.status?.loadBalancer?.ingress).toEqual([{ ip: '192.0.2.10', ipMode: 'VIP' }]);
    expect(
      (await writer.patchServiceStatus({ namespace, name: 'status' }, { loadBalancer: { ingress: null } })).ok,
    ).toBe(true);
    expect(
      (await core.readNamespacedServiceStatus({ namespace, name: 'status' })).status?.loadBalancer?.ingress,
    ).toBeUndefined();
  });

  it('merges Service conditions by type: each writer sets and removes only its own', async () => {
    await loadBalancer('conditions');
    const ref = { namespace, name: 'conditions' };
    for (const step of CONDITION_PATCH_STEPS) {
      expect((await writer.patchServiceStatus(ref, step.status)).ok, step.what).toBe(true);
      const read = await core.readNamespacedServiceStatus(ref);
      const conditions = (read.status?.conditions ?? []).map((c) => ({
        type: c.type,
        status: c.status,
        reason: c.reason,
        message: c.message,
        lastTransitionTime: c.lastTransitionTime.toISOString().replace('.000Z', 'Z'),
      }));
      expect(byType(conditions), step.what).toEqual(step.conditions);
    }
    const read = await core.readNamespacedServiceStatus(ref);
    expect(read.status?.loadBalancer?.ingress).toEqual([{ ip: '192.0.2.20', ipMode: 'VIP' }]);
  });

  it('returns the server refusals as typed errors', async () => {
    await loadBalancer('refused');
    const invalid = await writer.patchServiceStatus(
      { namespace, name: 'refused' },
      { loadBalancer: { ingress: [{ ip: 'not-an-ip' }] } },
    );
    expect(invalid).toMatchObject({ ok: false, error: { code: 'Invalid', status: 422 } });
    expect(!invalid.ok && invalid.error.message).toContain('ingress');
    const missing = await writer.patchServiceStatus({ namespace, name: 'missing' }, { loadBalancer: {} });
    expect(missing).toMatchObject({ ok: false, error: { code: 'NotFound', status: 404 } });
  });

  it('sets and removes annotations', async () => {
    await loadBalancer('annotated');
    const result = await writer.patchAnnotations(
      { kind: 'Service', namespace, name: 'annotated' },
      {
        set: { 'purelb.io/allocated-by': 'PureLB', 'purelb.io/allocated-from': 'default' },
        remove: ['purelb.io/old', 'purelb.io/absent'],
      },
    );
    expect(result.ok).toBe(true);
    const read = await core.readNamespacedService({ namespace, name: 'annotated' });
    expect(read.metadata?.annotations).toEqual({
      'purelb.io/allocated-by': 'PureLB',
      'purelb.io/allocated-from': 'default',
    });
  });

  it('patches custom resource status through the status subresource', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const ref = { group: 'purelb.io', version: 'v1', plural: 'servicegroups', namespace, name: 'sg' };
    await custom.createNamespacedCustomObject({
      ...ref,
      body: {
        apiVersion: 'purelb.io/v1',
        kind: 'ServiceGroup',
        metadata: { name: 'sg' },
        spec: { local: { v4pools: [{ pool: '203.0.113.0/28', subnet: '203.0.113.0/24' }] } },
      },
    });
    const result = await writer.patchCustomStatus(ref, { observedGeneration: 1 });
    expect(result.ok).toBe(true);
    const read = (await custom.getNamespacedCustomObjectStatus(ref)) as { status?: { observedGeneration?: number } };
    expect(read.status?.observedGeneration).toBe(1);
  });
});

describe('createEventRecorder on a real API server', () => {
  it('posts an Event once per distinct state', async () => {
    const svc = await loadBalancer('evented');
    const recorder = createEventRecorder({ writer, component: 'purelb-allocator', host: 'allocator-0' });
    const object = { apiVersion: 'v1', kind: 'Service', namespace, name: 'evented', uid: svc.metadata?.uid ?? '' };
    const exhausted = {
      type: 'Warning' as const,
      reason: 'PoolExhausted',
      message: 'no free IPv4 address in group default',
      slot: 'allocation',
    };
    const outcomes = [];
    outcomes.push((await recorder.record(object, exhausted)).kind);
    outcomes.push((await recorder.record(object, exhausted)).kind);
    outcomes.push(
      (
        await recorder.record(object, {
          type: 'Normal',
          reason: 'AddressAssigned',
          message: 'Assigned 192.0.2.10',
          slot: 'allocation',
        })
      ).kind,
    );
    expect(outcomes).toEqual(['posted', 'duplicate', 'posted']);
    const events = (await core.listNamespacedEvent({ namespace })).items.filter(
      (e) => e.involvedObject.name === 'evented',
    );
    expect(
      events.map((e) => [e.type, e.reason, e.involvedObject.uid, e.source?.component, e.reportingComponent]).sort(),
    ).toEqual([
      ['Normal', 'AddressAssigned', svc.metadata?.uid, 'purelb-allocator', 'purelb-allocator'],
      ['Warning', 'PoolExhausted', svc.metadata?.uid, 'purelb-allocator', 'purelb-allocator'],
    ]);
  });
});

describe('createLeaseClient on a real API server', () => {
  it('creates, replaces with optimistic concurrency, and deletes', async () => {
    const leases = createLeaseClient(kc);
    const ref = { namespace, name: 'purelb-node-a' };
    const spec = {
      holderIdentity: 'node-a',
      leaseDurationSeconds: 3,
      acquireTime: '2026-01-01T00:00:00.000000Z',
      renewTime: '2026-01-01T00:00:00.000000Z',
      leaseTransitions: 0,
      annotations: { 'purelb.io/subnets': '192.0.2.0/24' },
    };
    expect(await leases.get(ref)).toEqual({ ok: true, value: undefined });
    const created = await leases.create(ref, spec);
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value).toMatchObject(spec);
    expect(await leases.create(ref, spec)).toMatchObject({ ok: false, error: { code: 'AlreadyExists' } });
    const renewed = await leases.replace(
      ref,
      { ...spec, renewTime: '2026-01-01T00:00:01.000000Z' },
      created.value.resourceVersion,
    );
    expect(renewed).toMatchObject({ ok: true, value: { renewTime: '2026-01-01T00:00:01.000000Z' } });
    expect(
      await leases.replace(ref, { ...spec, holderIdentity: 'thief' }, created.value.resourceVersion),
    ).toMatchObject({ ok: false, error: { code: 'Conflict', status: 409 } });
    expect(await leases.delete(ref, created.value.resourceVersion)).toMatchObject({
      ok: false,
      error: { code: 'Conflict' },
    });
    expect(await leases.delete(ref, renewed.ok ? renewed.value.resourceVersion : '')).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await leases.delete(ref)).toEqual({ ok: true, value: undefined });
    expect(await leases.get(ref)).toEqual({ ok: true, value: undefined });
  });
});
