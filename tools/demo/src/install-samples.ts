// Creates the demo's namespaces and Services through the REST API.
import { statusMessage } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
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

export async function createServices(rest: KubeClient, services: readonly ServiceManifest[]): Promise<void> {
  for (const s of services) {
    await createObject(rest, {
      path: `/api/v1/namespaces/${s.metadata.namespace}/services`,
      body: s,
      what: `Service ${s.metadata.namespace}/${s.metadata.name}`,
    });
  }
}
