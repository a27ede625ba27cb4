import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOUND_TEXT_MAX, boundText } from './bound-text.ts';

/** 1,000 comma-separated IPv4 addresses, as in a hostile `purelb.io/addresses`. */
const thousandAddresses = Array.from({ length: 1000 }, (_, i) => `192.0.2.${i % 256}`).join(',');
/** A 100 KB value. */
const hundredKb = 'a'.repeat(100 * 1024);

describe('boundText', () => {
  it.each([
    ['192.0.2.1', '"192.0.2.1"'],
    ['', '""'],
    [
      '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,2001:db8:ffff:ffff:ffff:ffff:ffff:fffe',
      '"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff,2001:db8:ffff:ffff:ffff:ffff:ffff:fffe"',
    ],
  ])('quotes %j whole when it fits', (value, shown) => {
    expect(boundText(value)).toBe(shown);
  });

  it('shows 1,000 comma-separated addresses as a prefix and the length of the whole', () => {
    const shown = boundText(thousandAddresses);
    expect(shown).toBe(
      `"${thousandAddresses.slice(0, 77)}…" (${thousandAddresses.length.toLocaleString('en-US')} characters)`,
    );
    expect(shown).toMatch(/^"192\.0\.2\.0,192\.0\.2\.1,.*…" \(\d{1,2},\d{3} characters\)$/);
    expect(shown.length).toBe(BOUND_TEXT_MAX);
  });

  it('shows a 100 KB value in at most `max` characters', () => {
    expect(boundText(hundredKb)).toBe(`"${'a'.repeat(76)}…" (102,400 characters)`);
    expect(boundText(hundredKb, { max: 40 })).toBe(`"${'a'.repeat(16)}…" (102,400 characters)`);
    expect(boundText(hundredKb, { max: 1024 }).length).toBe(1024);
  });

  it('cuts a whole message without quotes', () => {
    expect(boundText('short message', { quote: false })).toBe('short message');
    expect(boundText(hundredKb, { quote: false, max: 60 })).toBe(`${'a'.repeat(38)}… (102,400 characters)`);
  });

  it('never splits a surrogate pair and never goes below 32 characters', () => {
    const emoji = '😀'.repeat(100);
    const shown = boundText(emoji, { max: 50 });
    expect(shown.length).toBeLessThanOrEqual(50);
    expect(shown).toMatch(/^"(😀)+…" \(200 characters\)$/);
    expect(boundText(hundredKb, { max: 1 }).length).toBe(32);
  });

  it('is never longer than max, and shows a value that fits unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400, unit: fc.constantFrom('a', ',', '.', 'é', '😀') }),
        fc.integer({ min: 32, max: 300 }),
        fc.boolean(),
        (value, max, quote) => {
          const shown = boundText(value, { max, quote });
          expect(shown.length).toBeLessThanOrEqual(max);
          const mark = quote ? '"' : '';
          if (value.length + 2 * mark.length <= max) expect(shown).toBe(`${mark}${value}${mark}`);
          else expect(shown.endsWith(`(${value.length.toLocaleString('en-US')} characters)`)).toBe(true);
        },
      ),
    );
  });
});
