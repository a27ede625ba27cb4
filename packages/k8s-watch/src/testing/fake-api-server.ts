// An in-memory API server for fast tests of code built on @purelb/k8s-watch: objects a test puts are
// listed and watched through a WatchTransport, and a ClusterWriter patches them (merge patches, a
// Service's conditions merged by type, the `/status` subresource, Events) so that watches see the writes, as on a real server. Writes can be
// made to fail or to wait; every write is recorded.
import { annotationPatch, annotationTargetPath } from '../cluster-writer.ts';
import type { ClusterWriter, Written } from '../cluster-writer.ts';
import type {
  ListResult,
  WatchFailure,
  WatchHandlers,
  WatchRequest,
  WatchStream,
  WatchTransport,
} from '../watch-types.ts';
import type { ApiError, ApiResult, JsonObject } from '../api-result.ts';
import { applyMergePatch, applyServiceStatusPatch } from './merge-patch.ts';

/** One write the fake received, as the API server would see it. */
export interface FakeWrite {
  readonly op: 'patch-status' | 'patch-annotations' | 'patch-custom-status' | 'create-event';
  /** The object's path (`/api/v1/namespaces/ns/services/web`), or the Events collection for `create-event`. */
  readonly path: string;
  /** The merge patch, or the Event. */
  readonly body: JsonObject;
}

/** A recorded write and how it ended. */
export interface FakeWriteRecord extends FakeWrite {
  readonly outcome: 'ok' | ApiError['code'];
}

/**
 * Decides the fate of a write before it is applied: an error fails it, undefined lets it through.
 * May return a promise, to hold the write until the test lets it go.
 */
export type FakeWriteRule = (write: FakeWrite) => ApiError | undefined | Promise<ApiError | undefined>;

export interface FakeApiServer {
  /** Lists and watches of the stored objects (label and field selectors are not supported). */
  readonly transport: WatchTransport;
  /** Writes that change the stored objects and are seen by the watches. */
  readonly writer: ClusterWriter;
  /** Every write, oldest first, including failed ones. */
  readonly writes: readonly FakeWriteRecord[];
  /**
   * Creates or replaces an object in the collection at `collectionPath` (`/api/v1/namespaces/ns/services`,
   * `/apis/purelb.io/v1/namespaces/purelb/servicegroups`), as `kubectl apply` would. A missing uid is made up.
   * Returns the stored object.
   */
  put<T extends object>(collectionPath: string, object: T): T;
  /** Deletes the object at `path`; false when there was none. */
  remove(path: string): boolean;
  /** A copy of the object at `path`, if any. */
  get(path: string): unknown;
  /** Copies of the objects under a collection path (all namespaces for `/api/v1/services`). */
  list(collectionPath: string): unknown[];
  /** The rule for later writes (replaces the previous one; undefined: every write succeeds). */
  setWriteRule(rule: FakeWriteRule | undefined): void;
  /** Ends every open watch, cleanly or with a failure (the watcher lists or watches again). */
  dropWatches(failure?: WatchFailure): void;
}

interface Place {
  /** `/api/v1/services`, `/apis/purelb.io/v1/servicegroups`: the resource, whatever the namespace. */
  readonly collection: string;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

/** Where a path points; undefined for paths that name no resource. */
function placeOf(path: string): Place | undefined {
  const parts = (path.split('?')[0] ?? '')
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const prefixLength = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : 0;
  if (prefixLength === 0 || parts.length <= prefixLength) return undefined;
  let rest = parts.slice(prefixLength);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name] = rest;
  if (plural === undefined) return undefined;
  return { collection: `/${parts.slice(0, prefixLength).join('/')}/${plural}`, namespace, name };
}

interface Meta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generateName?: string;
  annotations?: Record<string, string>;
}

const metaOf = (object: unknown): Meta => (object as { metadata?: Meta } | undefined)?.metadata ?? {};
const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

interface LoggedEvent {
  readonly rv: number;
  readonly collection: string;
  readonly namespace: string | undefined;
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly object: unknown;
}

interface Watcher {
  readonly collection: string;
  readonly namespace: string | undefined;
  readonly handlers: WatchHandlers;
  open: boolean;
}

const NOT_FOUND = (path: string): ApiError => ({ code: 'NotFound', status: 404, message: `${path} not found` });

export function createFakeApiServer(): FakeApiServer {
  const collections = new Map<string, Map<string, unknown>>();
  const log: LoggedEvent[] = [];
  const watchers = new Set<Watcher>();
  const writes: FakeWriteRecord[] = [];
  let rule: FakeWriteRule | undefined;
  let version = 0;
  let uids = 0;
  let eventNames = 0;

  const collection = (name: string): Map<string, unknown> => {
    let c = collections.get(name);
    if (c === undefined) {
      c = new Map();
      collections.set(name, c);
    }
    return c;
  };
  const matches = (w: Watcher, e: { collection: string; namespace: string | undefined }): boolean =>
    w.collection === e.collection && (w.namespace === undefined || w.namespace === e.namespace);
  const deliver = (w: Watcher, e: LoggedEvent): void => {
    void Promise.resolve().then(() => {
      if (w.open) w.handlers.onEvent({ type: e.type, object: structuredClone(e.object) });
    });
  };
  const record = (place: Place, type: LoggedEvent['type'], object: unknown): void => {
    const e: LoggedEvent = {
      rv: version,
      collection: place.collection,
      namespace: place.namespace,
      type,
      object: structuredClone(object),
    };
    log.push(e);
    for (const w of watchers) if (matches(w, e)) deliver(w, e);
  };
  /** Stores `object` at its place with a new resourceVersion, telling the watches. */
  const store = (place: Place, name: string, object: unknown): unknown => {
    const c = collection(place.collection);
    const key = keyOf(place.namespace, name);
    const existed = c.has(key);
    version++;
    const meta = metaOf(object);
    const stored = {
      ...(object as object),
      metadata: {
        ...meta,
        name,
        ...(place.namespace === undefined ? {} : { namespace: place.namespace }),
        resourceVersion: String(version),
      },
    };
    c.set(key, stored);
    record(place, existed ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  };
  const find = (path: string): { place: Place; name: string; object: unknown } | undefined => {
    const place = placeOf(path);
    if (place?.name === undefined) return undefined;
    const object = collections.get(place.collection)?.get(keyOf(place.namespace, place.name));
    return object === undefined ? undefined : { place, name: place.name, object };
  };

  const write = async (w: FakeWrite, apply: () => ApiResult<Written>): Promise<ApiResult<Written>> => {
    const refused = rule === undefined ? undefined : await rule(w);
    const result: ApiResult<Written> = refused === undefined ? apply() : { ok: false, error: refused };
    writes.push({ ...w, outcome: result.ok ? 'ok' : result.error.code });
    return result;
  };
  const patch = (path: string, body: JsonObject, apply = applyMergePatch): ApiResult<Written> => {
    const found = find(path);
    if (found === undefined) return { ok: false, error: NOT_FOUND(path) };
    const stored = store(found.place, found.name, apply(found.object, body));
    return { ok: true, value: { resourceVersion: metaOf(stored).resourceVersion } };
  };
  /** Through the `/status` subresource only `.status` changes. */
  const patchStatus = (path: string, body: JsonObject): ApiResult<Written> =>
    patch(path, { status: body['status'] ?? null });
  const patchServiceStatus = (path: string, status: JsonObject): ApiResult<Written> =>
    patch(path, status, applyServiceStatusPatch);

  const writer: ClusterWriter = {
    patchServiceStatus: (ref, status) => {
      const path = annotationTargetPath({ kind: 'Service', ...ref });
      return write({ op: 'patch-status', path, body: { status } }, () => patchServiceStatus(path, status));
    },
    patchAnnotations: async (target, change) => {
      const annotations = annotationPatch(change);
      if (annotations === undefined) return { ok: true, value: { resourceVersion: undefined } };
      const path = annotationTargetPath(target);
      const body = { metadata: { annotations } };
      return write({ op: 'patch-annotations', path, body }, () => patch(path, body));
    },
    patchCustomStatus: (ref, status) => {
      const path = annotationTargetPath({ kind: 'Custom', ...ref });
      return write({ op: 'patch-custom-status', path, body: { status } }, () => patchStatus(path, { status }));
    },
    createEvent: (event) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(event.namespace)}/events`;
      return write({ op: 'create-event', path, body: event.body }, () => {
        const meta = metaOf(event.body);
        const name = meta.name ?? `${meta.generateName ?? 'event.'}${(++eventNames).toString(36)}`;
        const stored = store({ collection: '/api/v1/events', namespace: event.namespace, name }, name, event.body);
        return { ok: true, value: { resourceVersion: metaOf(stored).resourceVersion } };
      });
    },
  };

  const list = (collectionPath: string): unknown[] => {
    const place = placeOf(collectionPath);
    if (place === undefined) return [];
    const c = collections.get(place.collection) ?? new Map<string, unknown>();
    return [...c.entries()]
      .filter(([key]) => place.namespace === undefined || key.startsWith(`${place.namespace}/`))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => structuredClone(object));
  };

  const transport: WatchTransport = {
    list: (request): Promise<ListResult> => {
      const place = placeOf(request.path);
      if (place === undefined)
        return Promise.resolve({
          ok: false,
          error: { code: 'HttpStatus', status: 404, message: `${request.path} not found` },
        });
      return Promise.resolve({
        ok: true,
        value: { items: list(request.path), resourceVersion: String(version), continueToken: undefined },
      });
    },
    watch: (request: WatchRequest, handlers: WatchHandlers): WatchStream => {
      const place = placeOf(request.path);
      const w: Watcher = {
        collection: place?.collection ?? request.path,
        namespace: place?.namespace,
        handlers,
        open: true,
      };
      const from = Number(request.resourceVersion);
      for (const e of log) if (e.rv > from && matches(w, e)) deliver(w, e);
      watchers.add(w);
      return {
        cancel: () => {
          w.open = false;
          watchers.delete(w);
        },
      };
    },
  };

  return {
    transport,
    writer,
    writes,
    put: <T extends object>(collectionPath: string, object: T): T => {
      const place = placeOf(collectionPath);
      const name = metaOf(object).name;
      if (place === undefined || name === undefined)
        throw new Error(`fake API server: cannot place ${name ?? 'an object without a name'} at ${collectionPath}`);
      const meta = metaOf(object);
      const uid = meta.uid ?? metaOf(find(`${collectionPath}/${name}`)?.object).uid ?? `uid-${++uids}`;
      return store(place, name, { ...object, metadata: { ...meta, uid } }) as T;
    },
    remove: (path) => {
      const found = find(path);
      if (found === undefined) return false;
      collections.get(found.place.collection)?.delete(keyOf(found.place.namespace, found.name));
      version++;
      record(found.place, 'DELETED', {
        ...(found.object as object),
        metadata: { ...metaOf(found.object), resourceVersion: String(version) },
      });
      return true;
    },
    get: (path) => {
      const found = find(path);
      return found === undefined ? undefined : structuredClone(found.object);
    },
    list,
    setWriteRule: (next) => {
      rule = next;
    },
    dropWatches: (failure) => {
      for (const w of [...watchers]) {
        watchers.delete(w);
        void Promise.resolve().then(() => {
          if (!w.open) return;
          w.open = false;
          w.handlers.onEnd(failure);
        });
      }
    },
  };
}
