import { describe, expect, it } from 'vitest';
import { createCleanupStack } from './cleanup-stack.ts';

describe('createCleanupStack', () => {
  it('undoes newest first, keeps going past failures and reports them', async () => {
    const order: string[] = [];
    const stack = createCleanupStack();
    stack.defer('control plane', () => {
      order.push('control plane');
    });
    stack.defer('allocator', () => Promise.reject(new Error('already gone')));
    stack.defer('temp dir', async () => {
      await Promise.resolve();
      order.push('temp dir');
    });
    const failures = await stack.run();
    expect(order).toEqual(['temp dir', 'control plane']);
    expect(failures.map((f) => f.label)).toEqual(['allocator']);
    expect(String(failures[0]?.error)).toContain('already gone');
  });

  it('runs each step once even when run() is called again or concurrently', async () => {
    let count = 0;
    const stack = createCleanupStack();
    stack.defer('x', () => {
      count++;
    });
    const [a, b] = await Promise.all([stack.run(), stack.run()]);
    await stack.run();
    expect(count).toBe(1);
    expect(a).toEqual([]);
    expect(b).toBe(a);
  });
});
