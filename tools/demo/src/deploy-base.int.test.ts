// deploy/base against the real API server: every object is accepted with strict field validation
// (a typo in a field name fails), and the allocator's RBAC grants what it needs and nothing it must
// not have, checked with SubjectAccessReviews.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createKubeClient, statusMessage } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKustomization } from './load-manifests.ts';
import type { ManifestObject } from './load-manifests.ts';

const base = join(import.meta.dirname, '..', '..', '..', 'deploy', 'base');
const { objects } = loadKustomization(base);
const suffix = randomBytes(3).toString('hex');
const scratch = `deploy-base-${suffix}`;
const other = `deploy-base-other-${suffix}`;

/** Paths for the kinds deploy/base holds. */
function collectionPath(o: ManifestObject, namespace: string | undefined): string {
  const ns = (plural: string, prefix: string): string => `${prefix}/namespaces/${namespace ?? ''}/${plural}`;
  switch (o.kind) {
    case 'Namespace':
      return '/api/v1/namespaces';
    case 'ServiceAccount':
      return ns('serviceaccounts', '/api/v1');
    case 'ClusterRole':
      return '/apis/rbac.authorization.k8s.io/v1/clusterroles';
    case 'ClusterRoleBinding':
      return '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
    case 'Role':
      return ns('roles', '/apis/rbac.authorization.k8s.io/v1');
    case 'RoleBinding':
      return ns('rolebindings', '/apis/rbac.authorization.k8s.io/v1');
    case 'Deployment':
      return ns('deployments', '/apis/apps/v1');
    case 'DaemonSet':
      return ns('daemonsets', '/apis/apps/v1');
    case 'LBNodeAgent':
      return ns('lbnodeagents', '/apis/purelb.io/v1');
    case 'ServiceGroup':
      return ns('servicegroups', '/apis/purelb.io/v1');
    default:
      throw new Error(`deploy/base holds a ${o.kind}, which this test does not know how to apply`);
  }
}

/** The object moved into the scratch namespace; cluster-scoped names get the run's suffix. */
function relocate(o: ManifestObject): ManifestObject {
  const text = JSON.stringify(o);
  const moved = JSON.parse(text) as ManifestObject & {
    roleRef?: { kind: string; name: string };
    subjects?: { namespace?: string }[];
  };
  const m = moved.metadata as { name: string; namespace?: string };
  if (m.namespace !== undefined) m.namespace = scratch;
  if (o.kind === 'Namespace') m.name = `${scratch}-ns`;
  if (o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding') m.name = `${m.name}-${suffix}`;
  if (moved.roleRef?.kind === 'ClusterRole') moved.roleRef.name = `${moved.roleRef.name}-${suffix}`;
  for (const s of moved.subjects ?? []) if (s.namespace !== undefined) s.namespace = scratch;
  return moved;
}

let rest: KubeClient;
const createdClusterObjects: string[] = [];

async function create(o: ManifestObject, dryRun: boolean): Promise<void> {
  const path = collectionPath(o, o.metadata.namespace);
  const query: Record<string, string> = { fieldValidation: 'Strict', ...(dryRun ? { dryRun: 'All' } : {}) };
  const res = await rest.post(path, o, { query });
  expect(res.status, `${o.kind} ${o.metadata.name}: ${statusMessage(res.body)}`).toBe(201);
  if (!dryRun && o.metadata.namespace === undefined) createdClusterObjects.push(`${path}/${o.metadata.name}`);
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
  for (const path of createdClusterObjects.reverse()) await rest.delete(path);
  rest.close();
});

describe('deploy/base on a real API server', () => {
  it('accepts the Namespace (dry run), the ServiceAccount and the RBAC objects with strict field validation', async () => {
    const order = ['Namespace', 'ServiceAccount', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding'];
    const rbac = objects.map((o) => o.object).filter((o) => order.includes(o.kind));
    expect([...new Set(rbac.map((o) => o.kind))].sort()).toEqual([...order].sort());
    rbac.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    for (const o of rbac) await create(relocate(o), o.kind === 'Namespace');
  });

  it('accepts the Deployment and DaemonSet (dry run), the sample ServiceGroup and the LBNodeAgent with strict field validation', async () => {
    const kinds = ['DaemonSet', 'Deployment', 'LBNodeAgent', 'ServiceGroup'];
    const workload = objects.map((o) => o.object).filter((o) => kinds.includes(o.kind));
    expect(workload.map((o) => o.kind).sort()).toEqual(kinds);
    for (const o of workload) await create(relocate(o), o.kind === 'Deployment' || o.kind === 'DaemonSet');
  });

  it('lets the allocator read Services and patch their annotations and status anywhere', async () => {
    for (const namespace of ['default', other]) {
      for (const verb of ['get', 'list', 'watch', 'patch']) expect(await allowed({ verb, resource: 'services', namespace })).toBe(true);
      expect(await allowed({ verb: 'patch', resource: 'services', subresource: 'status', namespace })).toBe(true);
      expect(await allowed({ verb: 'create', resource: 'events', namespace })).toBe(true);
      expect(await allowed({ verb: 'patch', resource: 'events', namespace })).toBe(true);
    }
  });

  it('does not let the allocator delete, create or replace Services, nor read Secrets', async () => {
    expect(await allowed({ verb: 'delete', resource: 'services', namespace: 'default', name: 'kubernetes' })).toBe(false);
    expect(await allowed({ verb: 'deletecollection', resource: 'services', namespace: other })).toBe(false);
    expect(await allowed({ verb: 'create', resource: 'services', namespace: other })).toBe(false);
    expect(await allowed({ verb: 'update', resource: 'services', subresource: 'status', namespace: other })).toBe(false);
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

describe('the node agents\' RBAC on a real API server', () => {
  const agent = (a: Access): Promise<boolean> => allowed(a, 'lbnodeagent');

  it('lets the agents read Services, EndpointSlices and Nodes, and patch Service annotations and status, anywhere', async () => {
    for (const namespace of ['default', other]) {
      for (const verb of ['get', 'list', 'watch', 'patch']) expect(await agent({ verb, resource: 'services', namespace })).toBe(true);
      expect(await agent({ verb: 'patch', resource: 'services', subresource: 'status', namespace })).toBe(true);
      for (const verb of ['get', 'list', 'watch']) expect(await agent({ verb, group: 'discovery.k8s.io', resource: 'endpointslices', namespace })).toBe(true);
      expect(await agent({ verb: 'create', resource: 'events', namespace })).toBe(true);
    }
    for (const verb of ['get', 'list', 'watch']) expect(await agent({ verb, resource: 'nodes' })).toBe(true);
  });

  it('does not let the agents change Services, EndpointSlices or Nodes beyond that, nor read Secrets or Pods', async () => {
    expect(await agent({ verb: 'delete', resource: 'services', namespace: other, name: 'x' })).toBe(false);
    expect(await agent({ verb: 'create', resource: 'services', namespace: other })).toBe(false);
    expect(await agent({ verb: 'update', resource: 'services', subresource: 'status', namespace: other })).toBe(false);
    expect(await agent({ verb: 'update', group: 'discovery.k8s.io', resource: 'endpointslices', namespace: other })).toBe(false);
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
    expect(await agent({ ...lbna, verb: 'patch', subresource: 'status', namespace: scratch, name: 'default' })).toBe(true);
    expect(await agent({ ...lbna, verb: 'update', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...lbna, verb: 'delete', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...sg, verb: 'patch', subresource: 'status', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...sg, verb: 'update', namespace: scratch, name: 'default' })).toBe(false);
    expect(await agent({ ...lease, verb: 'create', namespace: scratch })).toBe(true);
    for (const verb of ['update', 'delete']) expect(await agent({ ...lease, verb, namespace: scratch, name: 'purelb-node-a' })).toBe(true);
    expect(await agent({ ...lbna, verb: 'list', namespace: other })).toBe(false);
    expect(await agent({ ...lease, verb: 'create', namespace: other })).toBe(false);
    expect(await agent({ ...lease, verb: 'update', namespace: 'kube-system', name: 'purelb-node-a' })).toBe(false);
  });
});
