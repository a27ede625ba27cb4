// User-supplied text in messages, bounded: a value that fits is shown whole, a longer one as a prefix
// and its length, so that no annotation, however long, is copied into a condition, an Event or a log line.

export interface BoundTextOptions {
  /** The longest the result may be, in characters (UTF-16 code units). Default 100; at least 32. */
  readonly max?: number;
  /** Put the value in double quotes (default true): a value quoted in a message; false for a whole message. */
  readonly quote?: boolean;
}

/** The default `max` of `boundText`: two IPv6 addresses and a comma fit, quoted. */
export const BOUND_TEXT_MAX = 100;
const MIN_MAX = 32;

/** `104857` → `104,857`. */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * `value` for a message, at most `max` characters long: `"192.0.2.1"` whole when it fits, else a
 * prefix and the length of the whole, `"192.0.2.1,192.0.2.2,…" (104,857 characters)`. With
 * `quote: false`, the same without the quotes (`Released 192.0.2.1, … (20,480 characters)`).
 * A prefix never ends inside a surrogate pair.
 */
export function boundText(value: string, options: BoundTextOptions = {}): string {
  const max = Math.max(MIN_MAX, Math.floor(options.max ?? BOUND_TEXT_MAX));
  const quote = options.quote ?? true;
  const mark = quote ? '"' : '';
  if (value.length + 2 * mark.length <= max) return `${mark}${value}${mark}`;
  const tail = `…${mark} (${groupDigits(value.length)} characters)`;
  let cut = Math.max(0, max - mark.length - tail.length);
  const last = value.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut--;
  return `${mark}${value.slice(0, cut)}${tail}`;
}
