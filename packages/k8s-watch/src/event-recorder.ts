// core/v1 Events with deduplication: the same event for the same object is posted once while nothing changed.
import type { ClusterWriter } from './cluster-writer.ts';
import type { WriteError } from './write-result.ts';

export interface InvolvedObject {
  readonly apiVersion: string;
  readonly kind: string;
  /** Unset for cluster-scoped objects (their Events go to the `default` namespace). */
  readonly namespace?: string;
  readonly name: string;
  readonly uid?: string;
}

export interface EventToRecord {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  /**
   * Deduplication slot, default `reason`. Per (object, slot) the recorder remembers the last event it
   * posted and skips an identical one. Events that describe mutually exclusive states of an object (e.g.
   * `AddressAssigned` / `PoolExhausted` / `AddressReleased`) should share a slot, so that returning to an
   * earlier state posts again.
   */
  readonly slot?: string;
}

export type RecordOutcome =
  | { readonly kind: 'posted' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'failed'; readonly error: WriteError };

export interface EventRecorderOptions {
  readonly writer: Pick<ClusterWriter, 'createEvent'>;
  /** `source.component` / `reportingComponent`, e.g. `purelb-allocator`. */
  readonly component: string;
  /** `source.host` / `reportingInstance`, e.g. the node or pod name. */
  readonly host?: string;
  /** Wall clock for the Event timestamps. Default `() => new Date()`. */
  readonly wallClock?: () => Date;
  /** Objects remembered for deduplication (least recently used are forgotten first). Default 10 000. */
  readonly maxObjects?: number;
}

export interface EventRecorder {
  /** Posts the event unless it duplicates the last one in its slot for this object. Never throws. */
  record(object: InvolvedObject, event: EventToRecord): Promise<RecordOutcome>;
  /** Forgets what was posted for the object (call when it is deleted). */
  forget(object: InvolvedObject): void;
}

export function createEventRecorder(_options: EventRecorderOptions): EventRecorder {
  throw new Error('createEventRecorder: not implemented yet');
}
