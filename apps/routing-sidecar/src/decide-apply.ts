// What to do with the daemon after the routing input changed. Pure: the rendered text (or the
// problems) against the text the daemon runs. Applying only when the text changed keeps every
// session up across resyncs; a bad input never replaces a good configuration.
import type { RoutingProblem } from './routing-config.ts';

/** The outcome of reading and rendering the input. */
export type Rendered =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly errors: readonly RoutingProblem[] };

export type ApplyDecision =
  /** The daemon already runs this text. */
  | { readonly kind: 'unchanged' }
  /** Write the text and start the daemon (none runs yet) or reload it. */
  | { readonly kind: 'apply'; readonly text: string; readonly start: boolean }
  /** The input is bad: report it; the running configuration (if any) stays. */
  | { readonly kind: 'reject'; readonly errors: readonly RoutingProblem[]; readonly keeping: boolean };

export function decideApply(rendered: Rendered, running: string | undefined): ApplyDecision {
  if (!rendered.ok) return { kind: 'reject', errors: rendered.errors, keeping: running !== undefined };
  if (rendered.text === running) return { kind: 'unchanged' };
  return { kind: 'apply', text: rendered.text, start: running === undefined };
}
