// A hand-driven clock for tests: time moves only when the test says so.
import type { CancelTimer, Clock } from '../clock.ts';

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order (timers set by fired timers included). */
  advance(ms: number): void;
  /** Moves time forward by `ms` in steps, letting pending promise callbacks run between timers. */
  advanceAsync(ms: number): Promise<void>;
  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number;
  /** Time until the next timer fires, or undefined when none is pending. */
  nextTimerIn(): number | undefined;
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Lets queued promise reactions (and anything they queue) run. */
export async function flushPromises(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, Timer>();

  const due = (limit: number): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers.values()) {
      if (t.at <= limit && (best === undefined || t.at < best.at || (t.at === best.at && t.id < best.id))) best = t;
    }
    return best;
  };

  const setTimer = (ms: number, fn: () => void): CancelTimer => {
    const id = nextId++;
    timers.set(id, { id, at: now + Math.max(0, ms), fn });
    return () => {
      timers.delete(id);
    };
  };

  const advance = (ms: number): void => {
    const target = now + Math.max(0, ms);
    for (let t = due(target); t !== undefined; t = due(target)) {
      timers.delete(t.id);
      now = Math.max(now, t.at);
      t.fn();
    }
    now = target;
  };

  const advanceAsync = async (ms: number): Promise<void> => {
    const target = now + Math.max(0, ms);
    await flushPromises();
    for (let t = due(target); t !== undefined; t = due(target)) {
      timers.delete(t.id);
      now = Math.max(now, t.at);
      t.fn();
      await flushPromises();
    }
    now = target;
    await flushPromises();
  };

  const nextTimerIn = (): number | undefined => {
    let min: number | undefined;
    for (const t of timers.values()) min = min === undefined ? t.at : Math.min(min, t.at);
    return min === undefined ? undefined : min - now;
  };

  return { now: () => now, setTimer, advance, advanceAsync, pendingTimers: () => timers.size, nextTimerIn };
}
