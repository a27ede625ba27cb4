// The routing sidecar's Role (deploy/components/routing-sidecar) against the real API server: as the
// ServiceAccount it is bound to, with a real token, the sidecar's own watch (list + watch of one
// ConfigMap by `metadata.name`) works and its Events are accepted; listing every ConfigMap, reading
// another one, or writing one is forbidden.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { createClusterWriter, createKubeTransport, watchResource } from '@purelb/k8s-watch';
import { createKubeClient, createTestNamespace, expectOk, waitFor } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const RBAC = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'deploy',
  'components',
  'routing-sidecar',
  'routing-sidecar-rbac.yaml',
);

let admin: KubeClient;
let ns: string;
let asSidecar: KubeConfig;

/** The component's Role and RoleBinding, moved from `purelb` into the test's namespace. */
function rbacObjects(namespace: string): { kind: string; body: Record<string, unknown> }[] {
  return parseAllDocuments(readFileSync(RBAC, 'utf8')).map((doc) => {
    const body = JSON.parse(JSON.stringify(doc.toJS()).replaceAll('"purelb"', JSON.stringify(namespace))) as Record<
      string,
      unknown
    >;
    return { kind: String(body['kind']), body };
  });
}

beforeAll(async () => {
  const kc = testKubeConfig();
  admin = await createKubeClient(kc, { maxSockets: 4 });
  ns = await createTestNamespace(kc, 'routing-rbac');
  expectOk(
    await admin.post(`/api/v1/namespaces/${ns}/serviceaccounts`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'lbnodeagent' },
    }),
    'create the ServiceAccount',
  );
  for (const { kind, body } of rbacObjects(ns)) {
    const plural = kind === 'Role' ? 'roles' : 'rolebindings';
    expectOk(
      await admin.post(`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/${plural}`, body),
      `create the ${kind}`,
    );
  }
  for (const name of ['purelb-routing', 'other']) {
    expectOk(
      await admin.post(`/api/v1/namespaces/${ns}/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name },
        data: { 'routing.yaml': 'localASN: 1' },
      }),
      `create ConfigMap ${name}`,
    );
  }
  const token = await admin.post(`/api/v1/namespaces/${ns}/serviceaccounts/lbnodeagent/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 600 },
  });
  expectOk(token, 'request a token');
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('no cluster');
  asSidecar = new KubeConfig();
  asSidecar.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'sidecar', token: (token.body as { status: { token: string } }).status.token }],
    contexts: [{ name: 'sidecar', cluster: cluster.name, user: 'sidecar' }],
    currentContext: 'sidecar',
  });
});

afterAll(() => {
  admin.close();
});

describe('the routing sidecar Role', () => {
  it('lets the sidecar watch its ConfigMap by name and post Events on it', async () => {
    const watch = watchResource<{ metadata?: { name?: string }; data?: Record<string, string> }>({
      transport: createKubeTransport(asSidecar),
      path: `/api/v1/namespaces/${ns}/configmaps`,
      fieldSelector: 'metadata.name=purelb-routing',
    });
    try {
      expect(await watch.whenSynced()).toBe(true);
      expect([...(watch.current()?.keys() ?? [])]).toEqual([`${ns}/purelb-routing`]);
      expectOk(
        await admin.patch(`/api/v1/namespaces/${ns}/configmaps/purelb-routing`, {
          data: { 'routing.yaml': 'localASN: 2' },
        }),
        'change it',
      );
      await waitFor(
        'the change through the watch',
        () => watch.current()?.get(`${ns}/purelb-routing`)?.data?.['routing.yaml'] === 'localASN: 2' || undefined,
      );
    } finally {
      watch.stop();
    }
    const event = await createClusterWriter(asSidecar).createEvent({
      namespace: ns,
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { generateName: 'purelb-routing.' },
        involvedObject: { apiVersion: 'v1', kind: 'ConfigMap', namespace: ns, name: 'purelb-routing' },
        reason: 'InvalidRoutingConfig',
        message: 'test',
        type: 'Warning',
        source: { component: 'purelb-routing-sidecar' },
      },
    });
    expect(event.ok).toBe(true);
  });

  it('forbids listing every ConfigMap, reading another one, and writing its own', async () => {
    const sidecar = await createKubeClient(asSidecar, { maxSockets: 2 });
    try {
      expect((await sidecar.get(`/api/v1/namespaces/${ns}/configmaps`)).status).toBe(403);
      expect((await sidecar.get(`/api/v1/namespaces/${ns}/configmaps/other`)).status).toBe(403);
      expect((await sidecar.get(`/api/v1/namespaces/${ns}/configmaps/purelb-routing`)).status).toBe(200);
      expect(
        (await sidecar.patch(`/api/v1/namespaces/${ns}/configmaps/purelb-routing`, { data: { x: 'y' } })).status,
      ).toBe(403);
      expect(
        (
          await sidecar.get('/api/v1/namespaces/default/configmaps', {
            query: { fieldSelector: 'metadata.name=purelb-routing' },
          })
        ).status,
      ).toBe(403);
    } finally {
      sidecar.close();
    }
  });
});
