import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { apiRequest } from './api-request.ts';
import type { AdminConnection } from './api-request.ts';
import { statusMessage } from './http-exchange.ts';
import { waitForCustomResources } from './api-server.ts';
import { waitUntil } from './wait-until.ts';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const FIELD_MANAGER = 'purelb-test-control-plane';

interface CrdDocument {
  readonly file: string;
  readonly name: string;
  readonly body: Record<string, unknown>;
}

/** Reads every CustomResourceDefinition from the `*.yaml` / `*.yml` files of `dir` (its kustomization aside), in name order. */
export function readCrds(dir: string): CrdDocument[] {
  const files = readdirSync(dir)
    .filter((f) => (f.endsWith('.yaml') || f.endsWith('.yml')) && !f.startsWith('kustomization.'))
    .sort();
  const crds: CrdDocument[] = [];
  for (const file of files) {
    const path = join(dir, file);
    for (const [i, doc] of parseAllDocuments(readFileSync(path, 'utf8')).entries()) {
      if (doc.errors.length > 0)
        throw new Error(`${path} document ${i + 1}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const body: unknown = doc.toJS({ maxAliasCount: 1000 });
      if (body === null || body === undefined) continue;
      const obj = body as { kind?: unknown; metadata?: { name?: unknown } };
      if (obj.kind !== 'CustomResourceDefinition' || typeof obj.metadata?.name !== 'string') {
        throw new Error(`${path} document ${i + 1}: expected a CustomResourceDefinition with metadata.name`);
      }
      crds.push({ file: path, name: obj.metadata.name, body: body as Record<string, unknown> });
    }
  }
  return crds;
}

/** Server-side applies every CRD of `dir`, waits until each is Established and listable. Returns their names. */
export async function applyCrds(conn: AdminConnection, dir: string, timeoutMs: number): Promise<string[]> {
  const crds = readCrds(dir);
  for (const crd of crds) {
    const res = await apiRequest(conn, {
      method: 'PATCH',
      path: `${CRD_PATH}/${crd.name}?fieldManager=${FIELD_MANAGER}&force=true`,
      body: crd.body,
      contentType: 'application/apply-patch+yaml',
    });
    if (res.kind === 'unreachable') throw new Error(`applying ${crd.file}: ${res.error}`);
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`applying ${crd.file}: ${res.status} ${statusMessage(res.body)}`);
  }
  for (const crd of crds) {
    await waitUntil(
      async () => {
        const res = await apiRequest(conn, { method: 'GET', path: `${CRD_PATH}/${crd.name}` });
        if (res.kind === 'unreachable') return { kind: 'pending', reason: res.error };
        if (res.status !== 200) return { kind: 'pending', reason: `${res.status} ${statusMessage(res.body)}` };
        const conditions =
          (JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string; message?: string }[] } })
            .status?.conditions ?? [];
        const established = conditions.find((c) => c.type === 'Established');
        if (established?.status === 'True') return { kind: 'done', value: undefined };
        const conflict = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
        if (conflict !== undefined) return { kind: 'failed', reason: `names not accepted: ${conflict.message ?? ''}` };
        return { kind: 'pending', reason: 'not Established yet' };
      },
      { what: `CRD ${crd.name} to be Established`, timeoutMs },
    );
  }
  await waitForCustomResources(conn, timeoutMs);
  return crds.map((c) => c.name);
}

/** Creates a namespace; an existing one is fine. */
export async function ensureNamespace(conn: AdminConnection, name: string): Promise<void> {
  const res = await apiRequest(conn, {
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
  if (res.kind === 'unreachable') throw new Error(`creating namespace ${name}: ${res.error}`);
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`creating namespace ${name}: ${res.status} ${statusMessage(res.body)}`);
}
