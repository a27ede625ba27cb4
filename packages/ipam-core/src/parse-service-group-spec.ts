// parse → normalise → validate one ServiceGroup spec on its own.
import type { ServiceGroup, Validated } from './service-group.ts';

/**
 * Parses `spec` (v4pools/v6pools, singular v4pool/v6pool, legacy `spec.local.{subnet,pool,aggregation}`)
 * into a normalised group, or every located error found (`InvalidPool`, or `Overlap` inside the group).
 */
export function parseServiceGroupSpec(name: string, spec: unknown): Validated<ServiceGroup> {
  void name;
  void spec;
  throw new Error('parseServiceGroupSpec: not implemented yet');
}
