// The public shapes of a resource watch: snapshots, status, failures and the transport seam.
import type { Observable } from 'rxjs';
import type { ClusterAccess } from './cluster-access.ts';
import type { BackoffPolicy } from './backoff.ts';
import type { Clock, RandomSource } from './clock.ts';

/** The least a watched object must look like (every Kubernetes object does). */
export interface KubeObject {
  readonly metadata?:
    | {
        readonly name?: string | undefined;
        readonly namespace?: string | undefined;
        readonly resourceVersion?: string | undefined;
      }
    | undefined;
}

/** Immutable view of every object the server holds for the watched path, keyed `namespace/name` (or `name`). */
export type Snapshot<T> = ReadonlyMap<string, T>;

/** One emission: the new snapshot and the keys whose object was added, changed or removed since the last one. */
export interface SnapshotUpdate<T> {
  readonly snapshot: Snapshot<T>;
  /** Keys that differ from the previous emission (all keys on the first one). */
  readonly changed: ReadonlySet<string>;
  /** True for the first emission after the initial list. */
  readonly initial: boolean;
  /** The resourceVersion the snapshot reflects. */
  readonly resourceVersion: string;
}

/** Why a list or watch ended. Closed, but may grow in a minor release: keep a default branch. */
export type WatchFailureCode = WatchFailure['code'];

/** Why a list or watch ended; a closed set. */
export type WatchFailure =
  /** 410 Gone (HTTP status or in-stream ERROR event): the resourceVersion is too old; a relist follows. */
  | { readonly code: 'Gone'; readonly message: string }
  /** The server answered a list or watch request with a non-2xx status. */
  | { readonly code: 'HttpStatus'; readonly message: string; readonly status: number }
  /** Connection refused, reset, DNS or TLS failure. */
  | { readonly code: 'Network'; readonly message: string }
  /** No answer to a list, or no bytes on an open watch, for longer than its timeout. */
  | { readonly code: 'Timeout'; readonly message: string }
  /** The server ended the watch stream without an error before it had proved healthy. */
  | { readonly code: 'Closed'; readonly message: string }
  /** An in-stream ERROR event other than 410. */
  | { readonly code: 'StreamError'; readonly message: string; readonly status: number | undefined }
  /** A response body or object that could not be understood. */
  | { readonly code: 'Undecodable'; readonly message: string };

export type WatchPhase = 'listing' | 'watching' | 'waiting' | 'stopped';

export interface WatchStatus {
  readonly phase: WatchPhase;
  /** True once the initial list completed; stays true across restarts (the snapshot stays usable). */
  readonly synced: boolean;
  /** Times the list/watch loop started over after a failure or an unhealthy close. */
  readonly restarts: number;
  /** Full lists after the first (after 410 Gone or a failure while listing). */
  readonly relists: number;
  readonly resourceVersion: string | undefined;
  readonly lastError: WatchFailure | undefined;
  /** While `phase` is `waiting`: the backoff delay chosen, in ms. */
  readonly retryInMs: number | undefined;
}

export interface ResourceWatch<T> {
  /** The latest snapshot is replayed to new subscribers; first emitted after the initial list. Completes on stop. */
  readonly snapshots$: Observable<Snapshot<T>>;
  /** Same emissions as `snapshots$`, with the changed keys. The latest is replayed. Completes on stop. */
  readonly updates$: Observable<SnapshotUpdate<T>>;
  /** false until the initial list completed, then true (distinct, replayed). Completes on stop. */
  readonly synced$: Observable<boolean>;
  /** Every status change (replayed latest). Completes on stop. */
  readonly status$: Observable<WatchStatus>;
  /** The latest snapshot, or undefined before the initial list completed. */
  current(): Snapshot<T> | undefined;
  /** Resolves true once the initial list completed, or false if the watch is stopped before that. */
  whenSynced(): Promise<boolean>;
  /** Ends the watch, cancels timers and completes the observables. Idempotent. */
  stop(): void;
}

/** Where the objects come from: a kubeconfig (the real API server) or a transport (tests, proxies). */
export type WatchSource =
  | { readonly kubeConfig: ClusterAccess; readonly transport?: undefined }
  | { readonly transport: WatchTransport; readonly kubeConfig?: undefined };

export type WatchResourceOptions<T> = WatchSource & {
  /** A list path, core or custom: `/api/v1/services`, `/apis/purelb.io/v1/namespaces/purelb/servicegroups`. */
  readonly path: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Backoff between restarts after failures. Default `defaultBackoff`. */
  readonly backoff?: Partial<BackoffPolicy>;
  readonly clock?: Clock;
  /** Random source for backoff jitter. Default `Math.random`. */
  readonly random?: RandomSource;
  /** Key of an object in the snapshot (undefined: skip it). Default `objectKey` (`namespace/name` or `name`). */
  readonly keyOf?: (object: T) => string | undefined;
  /**
   * Keeps only what the caller reads of an object, applied to every listed or watched object before
   * it is stored (no `managedFields`, no unrelated spec or status in the cache). It must keep
   * `metadata.name`, `namespace` and `resourceVersion`, and must not throw on any JSON object.
   * Default: the object as the server sent it.
   */
  readonly project?: (object: object) => T;
  /** Page size of list requests (`limit`). Default 500. */
  readonly pageSize?: number;
  /** `timeoutSeconds` asked of the server per watch request; the server then ends it cleanly. Default 300. */
  readonly watchTimeoutSeconds?: number;
  /** Ends a watch that received nothing (not even a bookmark) for this long. Default watchTimeoutSeconds·1000 + 30 s. */
  readonly inactivityTimeoutMs?: number;
  /** Extra delay used to gather a burst of events into one emission. Default 0 (one event-loop turn). */
  readonly coalesceMs?: number;
};

// ---- transport seam -------------------------------------------------------------------------

export interface ListRequest {
  readonly path: string;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  readonly limit: number;
  /** Continue token of the previous page, if any. */
  readonly continueToken: string | undefined;
}

export interface ListPage {
  /** Raw objects as the server sent them. */
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
  /** Set when more pages follow. */
  readonly continueToken: string | undefined;
}

export type ListResult =
  { readonly ok: true; readonly value: ListPage } | { readonly ok: false; readonly error: WatchFailure };

export interface WatchRequest {
  readonly path: string;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  readonly resourceVersion: string;
  readonly timeoutSeconds: number;
  readonly inactivityTimeoutMs: number;
}

/** One decoded line of a watch stream. */
export type WatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: unknown }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | {
      readonly type: 'ERROR';
      readonly code: number | undefined;
      readonly reason: string | undefined;
      readonly message: string;
    };

export interface WatchHandlers {
  onEvent(event: WatchEvent): void;
  /** Called exactly once: `undefined` for a clean end of stream, else why it ended. Not called after `cancel()`. */
  onEnd(failure: WatchFailure | undefined): void;
}

export interface WatchStream {
  /** Closes the stream; no handler is called afterwards. Idempotent. */
  cancel(): void;
}

/** What the watch loop needs from the API server. The real one speaks HTTP; tests script one. */
export interface WatchTransport {
  list(request: ListRequest): Promise<ListResult>;
  watch(request: WatchRequest, handlers: WatchHandlers): WatchStream;
}
