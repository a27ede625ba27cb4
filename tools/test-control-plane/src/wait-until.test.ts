import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT_MS, waitFor, waitUntil, WaitError } from './wait-until.ts';
import type { Probe } from './wait-until.ts';

function script<T>(steps: Probe<T>[]): { probe: () => Promise<Probe<T>>; calls: () => number } {
  let i = 0;
  return {
    probe: () => Promise.resolve(steps[Math.min(i++, steps.length - 1)]!),
    calls: () => i,
  };
}

describe('waitUntil', () => {
  it('polls until the probe is done and returns its value', async () => {
    const s = script<number>([
      { kind: 'pending', reason: 'a' },
      { kind: 'pending', reason: 'b' },
      { kind: 'done', value: 42 },
    ]);
    await expect(waitUntil(s.probe, { what: 'x', timeoutMs: 10_000, intervalMs: 1 })).resolves.toBe(42);
    expect(s.calls()).toBe(3);
  });

  it('stops at once when the probe fails', async () => {
    const s = script<number>([
      { kind: 'pending', reason: 'a' },
      { kind: 'failed', reason: 'process exited' },
      { kind: 'done', value: 1 },
    ]);
    await expect(waitUntil(s.probe, { what: 'the thing', timeoutMs: 10_000, intervalMs: 1 })).rejects.toThrow(
      'gave up waiting for the thing: process exited',
    );
    expect(s.calls()).toBe(2);
  });

  it('gives up after the timeout, naming what it waited for and the last reason', async () => {
    const s = script<number>([{ kind: 'pending', reason: 'connection refused' }]);
    const error = await waitUntil(s.probe, { what: 'etcd', timeoutMs: 0, intervalMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitError);
    expect((error as WaitError).message).toBe('timed out after 0 ms waiting for etcd (last: connection refused)');
    expect((error as WaitError).lastReason).toBe('connection refused');
  });
});

describe('waitFor', () => {
  it('returns the first value that is not undefined, null or false', async () => {
    const answers: unknown[] = [undefined, null, false, 0, 'late'];
    let i = 0;
    await expect(waitFor('a value', () => answers[i++], { intervalMs: 1 })).resolves.toBe(0);
    expect(i).toBe(4);
  });

  it('treats a probe that throws as not yet, and names its last error when it gives up', async () => {
    let calls = 0;
    const value = await waitFor(
      'a flaky probe',
      () => {
        if (++calls < 3) throw new Error('connection refused');
        return 'ok';
      },
      { intervalMs: 1 },
    );
    expect([value, calls]).toEqual(['ok', 3]);
    await expect(
      waitFor(
        'the API server',
        () => {
          throw new Error('ECONNREFUSED');
        },
        { timeoutMs: 0, intervalMs: 1 },
      ),
    ).rejects.toThrow('timed out after 0 ms waiting for the API server (last: the probe threw: ECONNREFUSED)');
  });

  it('waits a minute by default, less than the integration tests may run', () => {
    expect(DEFAULT_WAIT_MS).toBe(60_000);
  });
});
