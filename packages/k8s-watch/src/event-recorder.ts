// core/v1 Events with deduplication: the same event for the same object is posted once while nothing changed.
import { hash } from 'node:crypto';
import type { ClusterWriter } from './cluster-writer.ts';
import type { ApiError, JsonObject } from './api-result.ts';

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
  { readonly kind: 'posted' } | { readonly kind: 'duplicate' } | { readonly kind: 'failed'; readonly error: ApiError };

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

/** Longest message posted; longer ones are cut (the API server rejects very long Events). */
const MAX_MESSAGE = 1024;

export function createEventRecorder(options: EventRecorderOptions): EventRecorder {
  const wallClock = options.wallClock ?? (() => new Date());
  const maxObjects = Math.max(1, options.maxObjects ?? 10_000);
  /** object key → (slot → signature of the last event posted, or being posted). Map order = recency. */
  const memory = new Map<string, Map<string, string>>();

  const slotsOf = (key: string): Map<string, string> => {
    let slots = memory.get(key);
    if (slots === undefined) {
      slots = new Map();
    } else {
      memory.delete(key);
    }
    memory.set(key, slots);
    while (memory.size > maxObjects) {
      const oldest = memory.keys().next();
      if (oldest.done === true) break;
      memory.delete(oldest.value);
    }
    return slots;
  };

  return {
    record: async (object, event) => {
      const slot = event.slot ?? event.reason;
      // A digest, not the text: one is kept per object and slot, and messages run to a kilobyte.
      const signature = hash('sha1', `${event.type}\u0000${event.reason}\u0000${event.message}`, 'base64');
      const slots = slotsOf(objectIdentity(object));
      const previous = slots.get(slot);
      if (previous === signature) return { kind: 'duplicate' };
      slots.set(slot, signature);
      const namespace = object.namespace ?? 'default';
      let result;
      try {
        result = await options.writer.createEvent({
          namespace,
          body: eventBody(object, event, { namespace, reporter: options, now: wallClock() }),
        });
      } catch (error) {
        result = {
          ok: false as const,
          error: {
            code: 'Unknown' as const,
            status: undefined,
            message: error instanceof Error ? error.message : String(error),
          },
        };
      }
      if (result.ok) return { kind: 'posted' };
      if (slots.get(slot) === signature) {
        if (previous === undefined) slots.delete(slot);
        else slots.set(slot, previous);
      }
      return { kind: 'failed', error: result.error };
    },
    forget: (object) => {
      memory.delete(objectIdentity(object));
    },
  };
}

function objectIdentity(object: InvolvedObject): string {
  return `${object.apiVersion}/${object.kind}/${object.namespace ?? ''}/${object.name}/${object.uid ?? ''}`;
}

/** Where and when an Event is posted, and who reports it. */
export interface EventContext {
  readonly namespace: string;
  readonly reporter: Pick<EventRecorderOptions, 'component' | 'host'>;
  readonly now: Date;
}

export function eventBody(object: InvolvedObject, event: EventToRecord, context: EventContext): JsonObject {
  const { namespace, reporter, now } = context;
  const time = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const involved: Record<string, string> = { apiVersion: object.apiVersion, kind: object.kind, name: object.name };
  if (object.namespace !== undefined) involved['namespace'] = object.namespace;
  if (object.uid !== undefined) involved['uid'] = object.uid;
  const message = event.message.length > MAX_MESSAGE ? `${event.message.slice(0, MAX_MESSAGE - 1)}…` : event.message;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { generateName: `${object.name}.`, namespace },
    involvedObject: involved,
    type: event.type,
    reason: event.reason,
    message,
    source:
      reporter.host === undefined
        ? { component: reporter.component }
        : { component: reporter.component, host: reporter.host },
    reportingComponent: reporter.component,
    reportingInstance: reporter.host ?? reporter.component,
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
  };
}
