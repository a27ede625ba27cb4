// Time as the library sees it: a monotonic millisecond counter plus one-shot timers. Injected
// everywhere so tests can drive time by hand (see `createFakeClock` in `@purelb/k8s-watch/testing`).
import { performance } from 'node:perf_hooks';

/** Cancels a timer; calling it after the timer fired (or twice) does nothing. */
export type CancelTimer = () => void;

export interface Clock {
  /** Monotonic milliseconds (never goes backwards, unrelated to wall time). */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds (0 = on a later turn of the event loop). */
  setTimer(ms: number, fn: () => void): CancelTimer;
}

/** A source of uniform random numbers in [0, 1), for jitter. */
export type RandomSource = () => number;

/** The real clock: `performance.now()` and `setTimeout`. Timers never keep the process alive. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return () => {
      clearTimeout(handle);
    };
  },
};
