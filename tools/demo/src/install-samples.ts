// Creates the demo's namespaces, ServiceGroups and Services through the REST API.
import { performance } from 'node:perf_hooks';
import { statusMessage, waitUntil } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import type { ServiceGroupObject } from './sample-service-groups.ts';
import type { ServiceManifest } from './service-shapes.ts';

/** What to create: `body` posted to `path`; `what` names it in the error. */
export interface NewObject {
  readonly path: string;
  readonly body: unknown;
  readonly what: string;
}

/** Creates the object; one that already exists counts as created. Throws with the API's message otherwise. */
export async function createObject(rest: KubeClient, { path, body, what }: NewObject): Promise<void> {
  const res = await rest.post(path, body);
  if (res.status === 201 || res.status === 200 || res.status === 409) return;
  throw new Error(`creating ${what} failed (${res.status}): ${statusMessage(res.body)}`);
}

export async function ensureNamespace(rest: KubeClient, name: string): Promise<void> {
  await createObject(rest, {
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
    what: `namespace ${name}`,
  });
}

/**
 * Creates the groups. A freshly applied CRD may take a moment to be served, so a 404 is retried
 * until `timeoutMs` has passed.
 */
export async function createServiceGroups(
  rest: KubeClient,
  groups: readonly ServiceGroupObject[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (const g of groups) {
    const path = `/apis/purelb.io/v1/namespaces/${g.metadata.namespace}/servicegroups`;
    await waitUntil(
      async () => {
        const res = await rest.post(path, g);
        if (res.status === 201 || res.status === 409) return { kind: 'done', value: undefined };
        const why = `${res.status}: ${statusMessage(res.body)}`;
        return res.status === 404 ? { kind: 'pending', reason: why } : { kind: 'failed', reason: why };
      },
      { what: `ServiceGroup ${g.metadata.name} to be created`, timeoutMs: Math.max(0, deadline - performance.now()), intervalMs: 250 },
    );
  }
}

export async function createServices(rest: KubeClient, services: readonly ServiceManifest[]): Promise<void> {
  for (const s of services) {
    await createObject(rest, {
      path: `/api/v1/namespaces/${s.metadata.namespace}/services`,
      body: s,
      what: `Service ${s.metadata.namespace}/${s.metadata.name}`,
    });
  }
}
