// How two overlapping pools relate, in words, for validation messages.
import { formatRange, rangeCovers } from './address-range.ts';
import type { AddressRange } from './address-range.ts';

/** `pool A contains pool B` / `is inside` / `is the same as` / `overlaps`, for two overlapping ranges. */
export function describePoolRelation(pool: AddressRange, other: AddressRange): string {
  const a = formatRange(pool);
  const b = formatRange(other);
  const outer = rangeCovers(pool, other);
  const inner = rangeCovers(other, pool);
  if (outer && inner) return `pool ${a} is the same as pool ${b}`;
  if (outer) return `pool ${a} contains pool ${b}`;
  if (inner) return `pool ${a} is inside pool ${b}`;
  return `pool ${a} overlaps pool ${b}`;
}
