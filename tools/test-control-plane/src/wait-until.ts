import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** What a probe reports: done (with a value), not yet (with why), or a failure that will not heal. */
export type Probe<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export interface WaitOptions {
  /** What is awaited, for the error message ("etcd to report healthy"). */
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
}

/** Thrown when a wait gives up; carries the last reason the probe gave. */
export class WaitError extends Error {
  readonly lastReason: string;
  constructor(message: string, lastReason: string) {
    super(message);
    this.name = 'WaitError';
    this.lastReason = lastReason;
  }
}

/** Polls `probe` until it is done, fails, or the timeout passes. */
export async function waitUntil<T>(probe: () => Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const interval = options.intervalMs ?? 100;
  const deadline = performance.now() + options.timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    const result = await probe();
    switch (result.kind) {
      case 'done':
        return result.value;
      case 'failed':
        throw new WaitError(`gave up waiting for ${options.what}: ${result.reason}`, result.reason);
      case 'pending':
        last = result.reason;
        break;
    }
    if (performance.now() >= deadline) {
      throw new WaitError(`timed out after ${options.timeoutMs} ms waiting for ${options.what} (last: ${last})`, last);
    }
    await sleep(interval);
  }
}
