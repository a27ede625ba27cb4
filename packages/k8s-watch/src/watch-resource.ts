// List + watch loop that turns a Kubernetes collection into immutable snapshots, and keeps doing so
// across watch errors, silent closes, API server restarts and 410 Gone.
import { BehaviorSubject, ReplaySubject, distinctUntilChanged, map } from 'rxjs';
import type { Observable } from 'rxjs';
import { backoffDelay, resolveBackoff } from './backoff.ts';
import { systemClock } from './clock.ts';
import type { CancelTimer } from './clock.ts';
import { createKubeTransport } from './kube-transport.ts';
import { objectKey } from './object-key.ts';
import type {
  KubeObject,
  ResourceWatch,
  Snapshot,
  SnapshotUpdate,
  WatchEvent,
  WatchFailure,
  WatchResourceOptions,
  WatchStatus,
  WatchStream,
} from './watch-types.ts';

/** A watch that delivered something, or lived this long, counts as healthy: backoff starts over. */
const HEALTHY_AFTER_MS = 1000;

export function watchResource<T extends KubeObject>(options: WatchResourceOptions<T>): ResourceWatch<T> {
  const transport = options.transport ?? createKubeTransport(options.kubeConfig);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy = resolveBackoff(options.backoff);
  const keyOf = options.keyOf ?? objectKey;
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 500));
  const timeoutSeconds = Math.max(1, Math.floor(options.watchTimeoutSeconds ?? 300));
  const inactivityTimeoutMs = options.inactivityTimeoutMs ?? timeoutSeconds * 1000 + 30_000;
  const coalesceMs = Math.max(0, options.coalesceMs ?? 0);

  const updates = new ReplaySubject<SnapshotUpdate<T>>(1);
  const synced = new BehaviorSubject(false);
  let status: WatchStatus = {
    phase: 'listing',
    synced: false,
    restarts: 0,
    relists: 0,
    resourceVersion: undefined,
    lastError: undefined,
    retryInMs: undefined,
  };
  const statusSubject = new BehaviorSubject<WatchStatus>(status);

  let objects = new Map<string, T>();
  let published: Snapshot<T> | undefined;
  const pending = new Set<string>();
  let cancelFlush: CancelTimer | undefined;
  let resourceVersion: string | undefined;
  let listed = false;
  let failures = 0;
  let stopped = false;
  /** Bumped on every (re)start and on stop: late results of an older round are ignored. */
  let round = 0;
  let stream: WatchStream | undefined;
  let cancelRetry: CancelTimer | undefined;
  let syncWaiters: ((synced: boolean) => void)[] = [];

  const setStatus = (patch: Partial<WatchStatus>): void => {
    status = { ...status, ...patch };
    statusSubject.next(status);
  };

  const project = options.project ?? ((raw: object) => raw as T);
  const decode = (raw: unknown): { key: string; object: T } | undefined => {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const object = project(raw);
    const key = keyOf(object);
    return key === undefined ? undefined : { key, object };
  };

  const flush = (): void => {
    cancelFlush = undefined;
    if (stopped || published === undefined || resourceVersion === undefined) return;
    const changed = new Set<string>();
    for (const key of pending) if (published.get(key) !== objects.get(key)) changed.add(key);
    pending.clear();
    if (changed.size === 0) return;
    published = new Map(objects);
    if (status.resourceVersion !== resourceVersion) setStatus({ resourceVersion });
    updates.next({ snapshot: published, changed, initial: false, resourceVersion });
  };

  const markChanged = (key: string): void => {
    pending.add(key);
    cancelFlush ??= clock.setTimer(coalesceMs, flush);
  };

  /** Applies a complete list: `items` decoded page by page (undefined: no key), so raw pages are not kept. */
  const applyList = (items: readonly ({ key: string; object: T } | undefined)[], listVersion: string): void => {
    const next = new Map<string, T>();
    let undecodable = 0;
    for (const decoded of items) {
      if (decoded === undefined) {
        undecodable++;
        continue;
      }
      const previous = objects.get(decoded.key);
      const sameVersion =
        previous !== undefined &&
        previous.metadata?.resourceVersion !== undefined &&
        previous.metadata.resourceVersion === decoded.object.metadata?.resourceVersion;
      next.set(decoded.key, sameVersion ? previous : decoded.object);
    }
    if (undecodable > 0)
      setStatus({ lastError: { code: 'Undecodable', message: `${undecodable} listed objects have no name` } });
    const before = objects;
    objects = next;
    resourceVersion = listVersion;
    if (!listed) {
      listed = true;
      published = new Map(objects);
      pending.clear();
      setStatus({ synced: true, resourceVersion });
      updates.next({ snapshot: published, changed: new Set(objects.keys()), initial: true, resourceVersion });
      synced.next(true);
      for (const resolve of syncWaiters) resolve(true);
      syncWaiters = [];
      return;
    }
    setStatus({ relists: status.relists + 1, resourceVersion });
    for (const key of before.keys()) if (!next.has(key)) markChanged(key);
    for (const [key, object] of next) if (before.get(key) !== object) markChanged(key);
  };

  const list = async (): Promise<void> => {
    const mine = ++round;
    setStatus({ phase: 'listing', retryInMs: undefined });
    const items: ({ key: string; object: T } | undefined)[] = [];
    let continueToken: string | undefined;
    let listVersion: string;
    do {
      let result;
      try {
        result = await transport.list({
          path: options.path,
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: pageSize,
          continueToken,
        });
      } catch (error) {
        result = { ok: false as const, error: { code: 'Network' as const, message: messageOf(error) } };
      }
      if (mine !== round) return;
      if (!result.ok) {
        fail(result.error, true);
        return;
      }
      for (const raw of result.value.items) items.push(decode(raw));
      listVersion = result.value.resourceVersion;
      continueToken = result.value.continueToken;
    } while (continueToken !== undefined && continueToken !== '');
    applyList(items, listVersion);
    watch();
  };

  const onEvent = (mine: number, event: WatchEvent, health: { healthy: boolean }): void => {
    if (mine !== round) return;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED': {
        const decoded = decode(event.object);
        if (decoded === undefined) {
          setStatus({
            lastError: { code: 'Undecodable', message: `${event.type} event for an object without a name` },
          });
          return;
        }
        if (event.type === 'DELETED') objects.delete(decoded.key);
        else objects.set(decoded.key, decoded.object);
        markChanged(decoded.key);
        resourceVersion = decoded.object.metadata?.resourceVersion ?? resourceVersion;
        break;
      }
      case 'BOOKMARK':
        resourceVersion = event.resourceVersion;
        setStatus({ resourceVersion });
        break;
      case 'ERROR': {
        const failure: WatchFailure =
          event.code === 410
            ? { code: 'Gone', message: event.message }
            : { code: 'StreamError', status: event.code, message: event.message };
        stream?.cancel();
        fail(failure, false);
        return;
      }
    }
    if (!health.healthy) {
      health.healthy = true;
      failures = 0;
    }
  };

  const watch = (): void => {
    const mine = ++round;
    const from = resourceVersion;
    if (from === undefined) {
      void list();
      return;
    }
    const started = clock.now();
    const health = { healthy: false };
    setStatus({ phase: 'watching', retryInMs: undefined });
    stream = transport.watch(
      {
        path: options.path,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion: from,
        timeoutSeconds,
        inactivityTimeoutMs,
      },
      {
        onEvent: (event) => {
          onEvent(mine, event, health);
        },
        onEnd: (failure) => {
          if (mine !== round) return;
          stream = undefined;
          if (failure !== undefined) {
            fail(failure, false);
          } else if (health.healthy || clock.now() - started >= HEALTHY_AFTER_MS) {
            failures = 0;
            watch();
          } else {
            fail({ code: 'Closed', message: 'the server ended the watch before it delivered anything' }, false);
          }
        },
      },
    );
  };

  /** Schedules the next round: a relist after 410 or a failed list, else a watch from the last version. */
  const fail = (failure: WatchFailure, whileListing: boolean): void => {
    round++;
    stream = undefined;
    failures++;
    const relist = whileListing || failure.code === 'Gone' || resourceVersion === undefined;
    const delay = failure.code === 'Gone' && failures === 1 ? 0 : backoffDelay(policy, failures, random);
    setStatus({ phase: 'waiting', restarts: status.restarts + 1, lastError: failure, retryInMs: delay });
    cancelRetry = clock.setTimer(delay, () => {
      cancelRetry = undefined;
      if (stopped) return;
      if (relist) void list();
      else watch();
    });
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    round++;
    stream?.cancel();
    stream = undefined;
    cancelRetry?.();
    cancelFlush?.();
    setStatus({ phase: 'stopped', retryInMs: undefined });
    for (const resolve of syncWaiters) resolve(false);
    syncWaiters = [];
    updates.complete();
    synced.complete();
    statusSubject.complete();
  };

  void list();

  const snapshots$: Observable<Snapshot<T>> = updates.pipe(map((u) => u.snapshot));
  return {
    snapshots$,
    updates$: updates.asObservable(),
    synced$: synced.pipe(distinctUntilChanged()),
    status$: statusSubject.asObservable(),
    current: () => published,
    whenSynced: () =>
      listed
        ? Promise.resolve(true)
        : stopped
          ? Promise.resolve(false)
          : new Promise<boolean>((resolve) => {
              syncWaiters.push(resolve);
            }),
    stop,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
