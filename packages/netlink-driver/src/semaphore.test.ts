import { describe, expect, it } from 'vitest';
import { createSemaphore } from './semaphore.ts';

describe('createSemaphore', () => {
  it('never lets more than its permits run, and runs every task in arrival order', async () => {
    const semaphore = createSemaphore(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        semaphore.run(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 1));
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual(results);
    expect(semaphore.active()).toBe(0);
  });

  it('releases the permit when a task fails', async () => {
    const semaphore = createSemaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await semaphore.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('refuses a permit count that is not a positive integer', () => {
    expect(() => createSemaphore(0)).toThrow(RangeError);
  });
});
