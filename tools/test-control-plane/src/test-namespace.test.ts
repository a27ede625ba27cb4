import { describe, expect, it } from 'vitest';
import { testNamespaceName } from './test-namespace.ts';

const fixed = (bytes: number): Buffer => Buffer.alloc(bytes, 0xab);

describe('testNamespaceName', () => {
  it('appends 8 random hex digits to the prefix', () => {
    expect(testNamespaceName('watch', fixed)).toBe('watch-abababab');
  });

  it('gives different names on different calls', () => {
    expect(testNamespaceName('watch')).not.toBe(testNamespaceName('watch'));
  });

  it('shortens a long prefix so the name stays a DNS label', () => {
    const name = testNamespaceName(`${'a'.repeat(53)}-${'b'.repeat(20)}`, fixed);
    expect(name).toBe(`${'a'.repeat(53)}-abababab`);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  it.each(['', 'Upper', 'with_underscore', '-lead', 'trail-'])('rejects the prefix %j', (prefix) => {
    expect(() => testNamespaceName(prefix, fixed)).toThrow(/must be lower-case letters, digits and "-"/);
  });
});
