// Server-side apply of manifest objects through the REST API, as `kubectl apply --server-side` does:
// the resource of each kind is found by discovery, every object is applied with strict field
// validation, and each outcome says whether the object was created, changed or left as it was (its
// resourceVersion moved or not).
import type { KubeClient } from '@purelb/test-control-plane';
import { statusMessage } from '@purelb/test-control-plane';
import type { ManifestObject } from './load-kustomization.ts';

export const APPLY_PATCH = 'application/apply-patch+yaml';

export interface ApplyOptions {
  /** The field manager (kubectl uses `kubectl`). */
  readonly fieldManager: string;
  /** Validate and admit, but store nothing (`dryRun=All`). */
  readonly dryRun?: boolean;
}

export type ApplyKind = 'created' | 'changed' | 'unchanged';

export interface ApplyOutcome {
  readonly kind: ApplyKind;
  /** `Kind namespace/name` or `Kind name`. */
  readonly object: string;
  readonly resourceVersion: string;
}

/** Why an object was not applied. Closed, but may grow in a minor release. */
export type ApplyFailureCode = 'UnknownKind' | 'Rejected';

export interface ApplyFailure {
  readonly code: ApplyFailureCode;
  readonly object: string;
  readonly message: string;
}

export type ApplyResult =
  { readonly ok: true; readonly value: readonly ApplyOutcome[] } | { readonly ok: false; readonly error: ApplyFailure };

interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

export function describeObject(o: ManifestObject): string {
  return o.metadata.namespace === undefined
    ? `${o.kind} ${o.metadata.name}`
    : `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
}

/** Finds resources by discovery, one request per group version, remembered for the client's life. */
export function createResourceFinder(rest: KubeClient): (o: ManifestObject) => Promise<ResourceInfo | undefined> {
  const lists = new Map<string, Promise<readonly { kind: string; name: string; namespaced: boolean }[]>>();
  const list = (apiVersion: string): Promise<readonly { kind: string; name: string; namespaced: boolean }[]> => {
    let found = lists.get(apiVersion);
    if (found === undefined) {
      found = rest.get(apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then((res) => {
        // An unknown group version is remembered as empty only until asked again (a CRD may arrive).
        if (res.status !== 200) lists.delete(apiVersion);
        return res.status === 200
          ? ((res.body as { resources?: { kind: string; name: string; namespaced: boolean }[] }).resources ?? [])
          : [];
      });
      lists.set(apiVersion, found);
    }
    return found;
  };
  return async (o) => {
    const r = (await list(o.apiVersion)).find((x) => x.kind === o.kind && !x.name.includes('/'));
    return r === undefined ? undefined : { plural: r.name, namespaced: r.namespaced };
  };
}

/** The object's URL path (`/apis/apps/v1/namespaces/ns/deployments/name`). */
export function objectPath(o: ManifestObject, info: ResourceInfo): string {
  const prefix = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = info.namespaced ? `/namespaces/${o.metadata.namespace ?? 'default'}` : '';
  return `${prefix}${ns}/${info.plural}/${encodeURIComponent(o.metadata.name)}`;
}

const resourceVersionOf = (body: unknown): string =>
  (body as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion ?? '';

/** Applies the objects in order; stops at the first one the server rejects. */
export async function applyObjects(
  rest: KubeClient,
  objects: readonly ManifestObject[],
  options: ApplyOptions,
): Promise<ApplyResult> {
  const find = createResourceFinder(rest);
  const outcomes: ApplyOutcome[] = [];
  for (const o of objects) {
    const object = describeObject(o);
    const info = await find(o);
    if (info === undefined)
      return {
        ok: false,
        error: { code: 'UnknownKind', object, message: `the API server serves no ${o.kind} in ${o.apiVersion}` },
      };
    const path = objectPath(o, info);
    const before = await rest.get(path);
    const res = await rest.patch(path, o, {
      contentType: APPLY_PATCH,
      query: {
        fieldManager: options.fieldManager,
        fieldValidation: 'Strict',
        force: 'true',
        ...(options.dryRun === true ? { dryRun: 'All' } : {}),
      },
    });
    if (res.status !== 200 && res.status !== 201) {
      return { ok: false, error: { code: 'Rejected', object, message: `${res.status}: ${statusMessage(res.body)}` } };
    }
    const resourceVersion = resourceVersionOf(res.body);
    const kind: ApplyKind =
      before.status === 404 ? 'created' : resourceVersionOf(before.body) === resourceVersion ? 'unchanged' : 'changed';
    outcomes.push({ kind, object, resourceVersion });
  }
  return { ok: true, value: outcomes };
}

/** Deletes the objects (as `kubectl delete -f` does); objects already gone count as deleted. Returns what the server refused. */
export async function deleteObjects(
  rest: KubeClient,
  objects: readonly ManifestObject[],
): Promise<readonly ApplyFailure[]> {
  const find = createResourceFinder(rest);
  const failures: ApplyFailure[] = [];
  for (const o of [...objects].reverse()) {
    const object = describeObject(o);
    const info = await find(o);
    if (info === undefined) {
      failures.push({ code: 'UnknownKind', object, message: `the API server serves no ${o.kind} in ${o.apiVersion}` });
      continue;
    }
    const res = await rest.delete(objectPath(o, info));
    if (res.status !== 200 && res.status !== 202 && res.status !== 404)
      failures.push({ code: 'Rejected', object, message: `${res.status}: ${statusMessage(res.body)}` });
  }
  return failures;
}
