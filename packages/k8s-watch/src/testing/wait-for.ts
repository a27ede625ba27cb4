// Polls a condition until it holds; for integration tests that must not assert on timing.

export interface WaitForOptions {
  /** Give up after this long (generous: this is a safety net, not an assertion). Default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Pause between polls. Default 50 ms. */
  readonly intervalMs?: number;
  /** Says what was awaited when giving up; may describe the last observed state. */
  readonly message?: () => string;
}

/** Resolves with the first truthy value of `probe`; rejects with `message()` after the timeout. */
export async function waitFor<T>(probe: () => T | Promise<T>, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 50;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    let failure: unknown;
    try {
      value = await probe();
    } catch (error) {
      failure = error;
    }
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      const why = options.message?.() ?? 'condition';
      const last = failure === undefined ? '' : ` (last error: ${failure instanceof Error ? failure.message : JSON.stringify(failure)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${why}${last}`);
    }
    await new Promise<void>((resolve) => {
      setTimeout(resolve, intervalMs);
    });
  }
}
