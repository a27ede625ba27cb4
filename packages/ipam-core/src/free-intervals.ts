// The free space of one pool: disjoint, non-adjacent inclusive intervals in an AVL tree keyed by
// their start. Lowest-free, claim and release are O(log n) in the number of intervals, whatever the
// pool size. Values are numbers (IPv4, exact below 2^53) or bigints (IPv6).

class IntervalNode<T extends number | bigint> {
  start: T;
  end: T;
  left: IntervalNode<T> | null = null;
  right: IntervalNode<T> | null = null;
  height = 1;
  constructor(start: T, end: T) {
    this.start = start;
    this.end = end;
  }
}

type Link<T extends number | bigint> = IntervalNode<T> | null;

const heightOf = <T extends number | bigint>(n: Link<T>): number => (n === null ? 0 : n.height);

function fix<T extends number | bigint>(n: IntervalNode<T>): void {
  const l = heightOf(n.left);
  const r = heightOf(n.right);
  n.height = (l > r ? l : r) + 1;
}

function rotateRight<T extends number | bigint>(n: IntervalNode<T>): IntervalNode<T> {
  const l = n.left as IntervalNode<T>;
  n.left = l.right;
  l.right = n;
  fix(n);
  fix(l);
  return l;
}

function rotateLeft<T extends number | bigint>(n: IntervalNode<T>): IntervalNode<T> {
  const r = n.right as IntervalNode<T>;
  n.right = r.left;
  r.left = n;
  fix(n);
  fix(r);
  return r;
}

function balance<T extends number | bigint>(n: IntervalNode<T>): IntervalNode<T> {
  fix(n);
  const bf = heightOf(n.left) - heightOf(n.right);
  if (bf > 1) {
    const l = n.left as IntervalNode<T>;
    if (heightOf(l.left) < heightOf(l.right)) n.left = rotateLeft(l);
    return rotateRight(n);
  }
  if (bf < -1) {
    const r = n.right as IntervalNode<T>;
    if (heightOf(r.right) < heightOf(r.left)) n.right = rotateRight(r);
    return rotateLeft(n);
  }
  return n;
}

function insertNode<T extends number | bigint>(n: Link<T>, node: IntervalNode<T>): IntervalNode<T> {
  if (n === null) return node;
  if (node.start < n.start) n.left = insertNode(n.left, node);
  else n.right = insertNode(n.right, node);
  return balance(n);
}

function removeMin<T extends number | bigint>(n: IntervalNode<T>): Link<T> {
  if (n.left === null) return n.right;
  n.left = removeMin(n.left);
  return balance(n);
}

function removeNode<T extends number | bigint>(n: Link<T>, start: T): Link<T> {
  if (n === null) return null;
  if (start < n.start) n.left = removeNode(n.left, start);
  else if (start > n.start) n.right = removeNode(n.right, start);
  else {
    if (n.left === null) return n.right;
    if (n.right === null) return n.left;
    let m = n.right;
    while (m.left !== null) m = m.left;
    m.right = removeMin(n.right);
    m.left = n.left;
    return balance(m);
  }
  return balance(n);
}

interface SortedIntervals<T> {
  readonly starts: readonly T[];
  readonly ends: readonly T[];
}

/** A balanced tree of the intervals `lo..hi` (indexes, inclusive). */
function buildBalanced<T extends number | bigint>(intervals: SortedIntervals<T>, lo: number, hi: number): Link<T> {
  if (lo > hi) return null;
  const mid = (lo + hi) >>> 1;
  const node = new IntervalNode(intervals.starts[mid] as T, intervals.ends[mid] as T);
  node.left = buildBalanced(intervals, lo, mid - 1);
  node.right = buildBalanced(intervals, mid + 1, hi);
  fix(node);
  return node;
}

/** Disjoint free intervals of one pool. */
export class FreeIntervals<T extends number | bigint> {
  #root: Link<T> = null;
  #count = 0;
  readonly #one: T;

  /** `one` is `1` or `1n`, fixing the value type. */
  constructor(one: T) {
    this.#one = one;
  }

  #inc(v: T): T {
    return ((v as number) + (this.#one as number)) as T;
  }

  #dec(v: T): T {
    return ((v as number) - (this.#one as number)) as T;
  }

  /** Number of intervals. */
  get intervalCount(): number {
    return this.#count;
  }

  /** Replaces the content with the given sorted, disjoint, non-adjacent intervals. */
  reset(starts: readonly T[], ends: readonly T[]): void {
    this.#root = buildBalanced({ starts, ends }, 0, starts.length - 1);
    this.#count = starts.length;
  }

  /** The lowest free value, or undefined when nothing is free. */
  lowest(): T | undefined {
    let n = this.#root;
    if (n === null) return undefined;
    while (n.left !== null) n = n.left;
    return n.start;
  }

  /** Takes the lowest free value, or returns undefined when nothing is free. */
  takeLowest(): T | undefined {
    let n = this.#root;
    if (n === null) return undefined;
    while (n.left !== null) n = n.left;
    const v = n.start;
    if (n.start === n.end) {
      this.#root = removeNode(this.#root, v);
      this.#count--;
    } else {
      n.start = this.#inc(v);
    }
    return v;
  }

  #floor(v: T): Link<T> {
    let n = this.#root;
    let best: Link<T> = null;
    while (n !== null) {
      if (n.start <= v) {
        best = n;
        n = n.right;
      } else {
        n = n.left;
      }
    }
    return best;
  }

  #higher(v: T): Link<T> {
    let n = this.#root;
    let best: Link<T> = null;
    while (n !== null) {
      if (n.start > v) {
        best = n;
        n = n.left;
      } else {
        n = n.right;
      }
    }
    return best;
  }

  /** Whether the value is free. */
  has(v: T): boolean {
    const n = this.#floor(v);
    return n !== null && v <= n.end;
  }

  /** Marks a free value as taken; returns false (and changes nothing) when it was not free. */
  claim(v: T): boolean {
    const n = this.#floor(v);
    if (n === null || v > n.end) return false;
    if (n.start === n.end) {
      this.#root = removeNode(this.#root, v);
      this.#count--;
    } else if (v === n.start) {
      n.start = this.#inc(v);
    } else if (v === n.end) {
      n.end = this.#dec(v);
    } else {
      const end = n.end;
      n.end = this.#dec(v);
      this.#root = insertNode(this.#root, new IntervalNode(this.#inc(v), end));
      this.#count++;
    }
    return true;
  }

  /** Marks a taken value as free; returns false (and changes nothing) when it was already free. */
  release(v: T): boolean {
    const left = this.#floor(v);
    if (left !== null && v <= left.end) return false;
    const right = this.#higher(v);
    const joinsLeft = left !== null && this.#inc(left.end) === v;
    const joinsRight = right !== null && this.#inc(v) === right.start;
    if (joinsLeft && joinsRight) {
      left.end = right.end;
      this.#root = removeNode(this.#root, right.start);
      this.#count--;
    } else if (joinsLeft) {
      left.end = v;
    } else if (joinsRight) {
      right.start = v;
    } else {
      this.#root = insertNode(this.#root, new IntervalNode(v, v));
      this.#count++;
    }
    return true;
  }

  /** The intervals in order (for tests and diagnostics). */
  intervals(): [T, T][] {
    const out: [T, T][] = [];
    const walk = (n: Link<T>): void => {
      if (n === null) return;
      walk(n.left);
      out.push([n.start, n.end]);
      walk(n.right);
    };
    walk(this.#root);
    return out;
  }
}
