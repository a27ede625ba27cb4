// deploy/base against the real API server: every object is accepted with strict field validation
// (a typo in a field name fails), and both daemons' RBAC grants what they need and nothing they must
// not have, checked with SubjectAccessReviews. The base is moved into a namespace of this run.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createKubeClient, statusMessage } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObjects, deleteObjects } from './apply-objects.ts';
import { loadKustomization } from './load-kustomization.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { relocate } from './relocate.ts';

const suffix = randomBytes(3).toString('hex');
const scratch = `deploy-base-${suffix}`;
const other = `deploy-base-other-${suffix}`;
const moved = loadKustomization(join(import.meta.dirname, '..', '..', '..', 'deploy', 'base')).objects.map((o) =>
  relocate(o, { from: 'purelb', to: scratch, clusterSuffix: `-${suffix}` }),
);
const clusterScoped = moved.filter((o) => o.metadata.namespace === undefined);

let rest: KubeClient;

async function apply(objects: readonly ManifestObject[], dryRun: boolean): Promise<void> {
  const res = await applyObjects(rest, objects, { fieldManager: 'purelb-test', dryRun });
  expect(res.ok ? 'applied' : `${res.error.object}: ${res.error.message}`).toBe('applied');
}

interface Access {
  verb: string;
  resource: string;
  group?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

async function allowed(a: Access, serviceAccount = 'allocator'): Promise<boolean> {
  const res = await rest.post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: `system:serviceaccount:${scratch}:${serviceAccount}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${scratch}`, 'system:authenticated'],
      resourceAttributes: { group: a.group ?? '', ...a },
    },
  });
  expect(res.status, statusMessage(res.body)).toBe(201);
  return (res.body as { status?: { allowed?: boolean } }).status?.allowed === true;
}

beforeAll(async () => {
  rest = await createKubeClient(testKubeConfig(), { maxSockets: 4 });
  for (const name of [scratch, other]) {
    const res = await rest.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    expect(res.status, statusMessage(res.body)).toBe(201);
  }
});

afterAll(async () => {
  expect(await deleteObjects(rest, clusterScoped)).toEqual([]);
  rest.close();
});

describe('deploy/base on a real API server', () => {
  it('accepts every object with strict field validation, as a dry run and for real (the workloads as a dry run)', async () => {
    const workloads = new Set(['Deployment', 'DaemonSet']);
    await apply(moved, true);
    await apply(
      moved.filter((o) => !workloads.has(o.kind)),
      false,
    );
  });

  it('lets the allocator read Services and patch their annotations and status anywhere', async () => {
    for (const namespace of ['default', other]) {
      for (const verb of ['get', 'list', 'watch', 'patch'])
        expect(await allowed({ verb, resource: 'services', namespace })).toBe(true);
      expect(await allowed({ verb: 'patch', resource: 'services', subresource: 'status', namespace })).toBe(true);
      expect(await allowed({ verb: 'create', resource: 'events', namespace })).toBe(true);
      expect(await allowed({ verb: 'patch', resource: 'events', namespace })).toBe(true);
    }
  });

  it('does not let the allocator delete, create or replace Services, nor read Secrets', async () => {
    expect(await allowed({ verb: 'delete', resource: 'services', namespace: 'default', name: 'kubernetes' })).toBe(
      false,
    );
    expect(await allowed({ verb: 'deletecollection', resource: 'services', namespace: other })).toBe(false);
    expect(await allowed({ verb: 'create', resource: 'services', namespace: other })).toBe(false);
    expect(await allowed({ verb: 'update', resource: 'services', subresource: 'status', namespace: other })).toBe(
      false,
    );
    expect(await allowed({ verb: 'get', resource: 'secrets', namespace: scratch })).toBe(false);
    expect(await allowed({ verb: 'list', resource: 'pods', namespace: other })).toBe(false);
  });

  it('lets the allocator use ServiceGroups and its Lease only in the install namespace', async () => {
    const sg = { group: 'purelb.io', resource: 'servicegroups' };
    const lease = { group: 'coordination.k8s.io', resource: 'leases' };
    for (const verb of ['get', 'list', 'watch']) expect(await allowed({ ...sg, verb, namespace: scratch })).toBe(true);
    expect(await allowed({ ...sg, verb: 'patch', subresource: 'status', namespace: scratch })).toBe(true);
    expect(await allowed({ ...sg, verb: 'delete', namespace: scratch, name: 'default' })).toBe(false);
    expect(await allowed({ ...sg, verb: 'update', namespace: scratch, name: 'default' })).toBe(false);
    expect(await allowed({ ...sg, verb: 'list', namespace: other })).toBe(false);

    expect(await allowed({ ...lease, verb: 'create', namespace: scratch })).toBe(true);
    for (const verb of ['get', 'update', 'patch', 'delete']) {
      expect(await allowed({ ...lease, verb, namespace: scratch, name: 'purelb-allocator' })).toBe(true);
    }
    expect(await allowed({ ...lease, verb: 'update', namespace: scratch, name: 'purelb-node-a' })).toBe(false);
    expect(await allowed({ ...lease, verb: 'create', namespace: other })).toBe(false);
    expect(await allowed({ ...lease, verb: 'get', namespace: 'kube-system', name: 'purelb-allocator' })).toBe(false);
  });
});

describe("the node agents' RBAC on a real API server", () => {
  const agent = (a: Access): Promise<boolean> => allowed(a, 'lbnodeagent');

  it('lets the agents read Services, EndpointSlices and Nodes, and patch Service annotations and status, anywhere', async () => {
    for (const namespace of ['default', other]) {
      for (const verb of ['get', 'list', 'watch', 'patch'])
        expect(await agent({ verb, resource: 'services', namespace })).toBe(true);
      expect(await agent({ verb: 'patch', resource: 'services', subresource: 'status', namespace })).toBe(true);
      for (const verb of ['get', 'list', 'watch'])
        expect(await agent({ verb, group: 'discovery.k8s.io', resource: 'endpointslices', namespace })).toBe(true);
      expect(await agent({ verb: 'create', resource: 'events', namespace })).toBe(true);
    }
    for (const verb of ['get', 'list', 'watch']) expect(await agent({ verb, resource: 'nodes' })).toBe(true);
  });

  it('does not let the agents change Services, EndpointSlices or Nodes beyond that, nor read Secrets or Pods', async () => {
    expect(await agent({ verb: 'delete', resource: 'services', namespace: other, name: 'x' })).toBe(false);
    expect(await agent({ verb: 'create', resource: 'services', namespace: other })).toBe(false);
    expect(await agent({ verb: 'update', resource: 'services', subresource: 'status', namespace: other })).toBe(false);
    expect(
      await agent({ verb: 'update', group: 'discovery.k8s.io', resource: 'endpointslices', namespace: other }),
    ).toBe(false);
    expect(await agent({ verb: 'patch', resource: 'nodes', name: 'node-1' })).toBe(false);
    expect(await agent({ verb: 'get', resource: 'secrets', namespace: scratch })).toBe(false);
    expect(await agent({ verb: 'list', resource: 'pods', namespace: other })).toBe(false);
  });

  it('lets the agents read their configuration and hold membership Leases only in the install namespace', async () => {
    const lbna = { group: 'purelb.io', resource: 'lbnodeagents' };
    const sg = { group: 'purelb.io', resource: 'servicegroups' };
    const lease = { group: 'coordination.k8s.io', resource: 'leases' };
    for (const verb of ['get', 'list', 'watch']) {
      expect(await agent({ ...lbna, verb, namespace: scratch })).toBe(true);
      expect(await agent({ ...sg, verb, namespace: scratch })).toBe(true);
      expect(await agent({ ...lease, verb, namespace: scratch })).toBe(true);
    }
    expect(await agent({ ...lbna, verb: 'patch', subresource: 'status', namespace: scratch, name: 'default' })).toBe(
      true,
    );
    expect(await agent({ ...lbna, verb: 'update', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...lbna, verb: 'delete', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...sg, verb: 'patch', subresource: 'status', namespace: scratch, name: 'default' })).toBe(
      false,
    );
    expect(await agent({ ...sg, verb: 'update', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...lease, verb: 'create', namespace: scratch })).toBe(true);
    for (const verb of ['update', 'delete'])
      expect(await agent({ ...lease, verb, namespace: scratch, name: 'purelb-node-a' })).toBe(true);
    expect(await agent({ ...lbna, verb: 'list', namespace: other })).toBe(false);
    expect(await agent({ ...lease, verb: 'create', namespace: other })).toBe(false);
    expect(await agent({ ...lease, verb: 'update', namespace: 'kube-system', name: 'purelb-node-a' })).toBe(false);
  });
});
