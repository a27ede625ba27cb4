// A counting semaphore: at most `permits` holders at once, the rest wait in arrival order.

export interface Semaphore {
  /** Runs `task` once a permit is free and releases the permit when it settles. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Holders right now. */
  active(): number;
}

export function createSemaphore(permits: number): Semaphore {
  if (!Number.isInteger(permits) || permits < 1)
    throw new RangeError(`permits must be a positive integer, got ${permits}`);
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) active--;
    else next();
  };
  const acquire = (): Promise<void> => {
    if (active < permits) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  return {
    async run(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
    active: () => active,
  };
}
