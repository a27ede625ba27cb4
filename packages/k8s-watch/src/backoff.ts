// Capped exponential backoff with jitter, as a pure function of the attempt number.
import type { RandomSource } from './clock.ts';

export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  readonly initialMs: number;
  /** Upper bound for any delay, in ms (jitter included). */
  readonly maxMs: number;
  /** Growth per attempt (2 = doubling). */
  readonly factor: number;
  /** Fraction of the delay that is randomised, 0…1: the delay is drawn from [d·(1−jitter), d]. */
  readonly jitter: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/** Fills the unset fields of a partial policy from `base` and clamps nonsense (negative, NaN) values. */
export function resolveBackoff(
  partial: Partial<BackoffPolicy> | undefined,
  base: BackoffPolicy = defaultBackoff,
): BackoffPolicy {
  const pick = (v: number | undefined, fallback: number, min: number): number =>
    v === undefined || !Number.isFinite(v) ? fallback : Math.max(min, v);
  const initialMs = pick(partial?.initialMs, base.initialMs, 0);
  return {
    initialMs,
    maxMs: Math.max(initialMs, pick(partial?.maxMs, base.maxMs, 0)),
    factor: pick(partial?.factor, base.factor, 1),
    jitter: Math.min(1, pick(partial?.jitter, base.jitter, 0)),
  };
}

/**
 * Delay before retry number `attempt` (1 = first retry): `initialMs · factor^(attempt−1)`, capped at
 * `maxMs`, then reduced by up to `jitter` of itself using `random()`.
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: RandomSource): number {
  const n = Math.max(1, Math.floor(attempt));
  const raw = policy.initialMs * Math.pow(policy.factor, n - 1);
  const capped = Math.min(policy.maxMs, Number.isFinite(raw) ? raw : policy.maxMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(capped * (1 - policy.jitter * r));
}
