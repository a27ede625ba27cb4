// One shared copy of each short value a watch cache keeps by the thousand. JSON.parse gives every
// object its own copy of every string: 5,000 Services in one namespace hold 5,000 copies of its
// name, of "LoadBalancer", of each node name in their EndpointSlices (~40 bytes each).
// Interning only for fields with few distinct values: namespaces, node names, types and reasons.

export interface StringPool {
  /** The pool's copy of the value (the value itself the first time it is seen). */
  intern(value: string): string;
  /** Distinct values held. */
  size(): number;
}

export interface StringPoolOptions {
  /** Values longer than this are returned as they are. Default 253 (the longest Kubernetes name). */
  readonly maxLength?: number;
  /** Distinct values kept; past it, new values are returned as they are (never evicted). Default 16,384. */
  readonly maxValues?: number;
}

export function createStringPool(options: StringPoolOptions = {}): StringPool {
  const maxLength = options.maxLength ?? 253;
  const maxValues = options.maxValues ?? 16_384;
  const pool = new Map<string, string>();
  return {
    intern(value) {
      const known = pool.get(value);
      if (known !== undefined) return known;
      if (value.length <= maxLength && pool.size < maxValues) pool.set(value, value);
      return value;
    },
    size: () => pool.size,
  };
}

const shared = createStringPool();

/** Interns in the process's shared pool (used by every projection of a watch cache). */
export const internString = (value: string): string => shared.intern(value);
