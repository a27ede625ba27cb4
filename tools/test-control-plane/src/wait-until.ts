// The one "poll until" of the workspace: for tests, the demo, benchmarks and the control plane itself.
// Waits are safety nets, never timing assertions: when one gives up, its message says what was awaited
// and what was last seen, so it must give up before the test runner's own timeout would.
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** What a probe reports: done (with a value), not yet (with why), or a failure that will not heal. */
export type Probe<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'pending'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * Default patience of a wait: 60 s. Shorter than the integration tests' own timeout (see
 * vitest.config.ts), so that a slow failure reports the wait's message, not a generic test timeout.
 */
export const DEFAULT_WAIT_MS = 60_000;

export interface WaitOptions {
  /** What is awaited, for the error message ("etcd to report healthy"). */
  readonly what: string;
  /** Default `DEFAULT_WAIT_MS`. */
  readonly timeoutMs?: number;
  /** Pause between probes. Default 100 ms. */
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

/** Polls `probe` until it is done, fails, or the timeout passes. A probe that throws ends the wait. */
export async function waitUntil<T>(probe: () => Probe<T> | Promise<Probe<T>>, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  const interval = options.intervalMs ?? 100;
  const deadline = performance.now() + timeoutMs;
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
      throw new WaitError(`timed out after ${timeoutMs} ms waiting for ${options.what} (last: ${last})`, last);
    }
    await sleep(interval);
  }
}

export type Found<T> = Exclude<T, undefined | null | false>;

/**
 * `waitUntil` for a probe that answers with a value when done and `undefined`, `null` or `false`
 * while not yet. A probe that throws counts as not yet, and its message is reported if the wait gives
 * up (an API server that restarts may refuse a request or two).
 */
export function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  options: Omit<WaitOptions, 'what'> = {},
): Promise<Found<T>> {
  return waitUntil<Found<T>>(
    async () => {
      try {
        const value = await probe();
        return value === undefined || value === null || value === false
          ? { kind: 'pending', reason: `the probe answered ${String(value)}` }
          : { kind: 'done', value: value as Found<T> };
      } catch (error) {
        return {
          kind: 'pending',
          reason: `the probe threw: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    },
    { ...options, what },
  );
}
