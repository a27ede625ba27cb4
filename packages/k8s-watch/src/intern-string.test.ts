import { describe, expect, it } from 'vitest';
import { createStringPool } from './intern-string.ts';

describe('createStringPool', () => {
  it('keeps one copy of each distinct short value', () => {
    const pool = createStringPool();
    for (let i = 0; i < 1_000; i++) expect(pool.intern(`ns-${i % 3}`)).toBe(`ns-${i % 3}`);
    expect(pool.size()).toBe(3);
  });

  it('passes long values through without keeping them', () => {
    const pool = createStringPool({ maxLength: 8 });
    expect(pool.intern('123456789')).toBe('123456789');
    expect(pool.intern('12345678')).toBe('12345678');
    expect(pool.size()).toBe(1);
  });

  it('stops growing at its bound and still answers every value', () => {
    const pool = createStringPool({ maxValues: 2 });
    expect(['a', 'b', 'c', 'd', 'a'].map((v) => pool.intern(v))).toEqual(['a', 'b', 'c', 'd', 'a']);
    expect(pool.size()).toBe(2);
  });
});
