// The conformance table of ServiceGroup validation: for each spec, what the CRD (schema and CEL rules,
// deploy/crds/servicegroups.purelb.io.yaml) and `parseServiceGroupSpec` (@purelb/ipam-core) decide.
// Both must accept what is valid on its face, and reject the same faults at the same field with the
// same meaning. The few specs they knowingly decide differently are listed apart, each with why.
import { FIELD_CASES } from './servicegroup-cases-fields.ts';
import { GROUP_AND_POOL_CASES } from './servicegroup-cases-group.ts';
import type { Case } from './servicegroup-meanings.ts';

export { MEANINGS } from './servicegroup-meanings.ts';
export type { Case, Meaning, Verdict } from './servicegroup-meanings.ts';

export const CASES: readonly Case[] = [...GROUP_AND_POOL_CASES, ...FIELD_CASES];
