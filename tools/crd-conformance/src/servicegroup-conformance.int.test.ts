// ServiceGroup validation is written twice: as the CRD's schema and CEL rules, which the API server
// applies to every write, and as `parseServiceGroupSpec`, which the allocator and the node agent apply
// to what they read. Each case of the table is sent to the real API server as a dry-run create (nothing
// is stored) and given to the parser; both must decide as the table says.
import { parseServiceGroupSpec } from '@purelb/ipam-core';
import { createKubeClient, createTestNamespace } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, MEANINGS } from './servicegroup-table.ts';
import type { Case } from './servicegroup-table.ts';

/** One located finding of either side: the field and what was said about it. */
interface Finding {
  readonly path: string;
  readonly text: string;
}

type Decision = { readonly accepted: true } | { readonly accepted: false; readonly findings: readonly Finding[] };

interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

let client: KubeClient;
let path: string;

beforeAll(async () => {
  const kc = testKubeConfig();
  const ns = await createTestNamespace(kc, 'sg-conformance');
  path = `/apis/purelb.io/v1/namespaces/${ns}/servicegroups`;
  client = await createKubeClient(kc);
});

afterAll(() => {
  client.close();
});

/** The API server's decision on a dry-run create: accepted, or each cause as `reason: message` at its field. */
async function crdDecision(spec: unknown): Promise<Decision> {
  const body = {
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name: 'conformance' },
    ...(spec === undefined ? {} : { spec }),
  };
  const res = await client.post(path, body, { query: { dryRun: 'All' } });
  if (res.status === 201) return { accepted: true };
  const status = res.body as { code?: number; details?: { causes?: readonly StatusCause[] } } | undefined;
  if (res.status !== 422) throw new Error(`dry-run create answered ${res.status}: ${JSON.stringify(res.body)}`);
  const causes = status?.details?.causes ?? [];
  return {
    accepted: false,
    findings: causes.map((c) => ({ path: c.field ?? '', text: `${c.reason ?? ''}: ${c.message ?? ''}` })),
  };
}

function coreDecision(spec: unknown): Decision {
  const parsed = parseServiceGroupSpec('conformance', spec);
  return parsed.ok
    ? { accepted: true }
    : { accepted: false, findings: parsed.errors.map((e) => ({ path: e.path, text: e.message })) };
}

const rejectedAt = (path: string, text: RegExp): unknown => ({
  accepted: false,
  findings: expect.arrayContaining([{ path, text: expect.stringMatching(text) as unknown }]) as unknown,
});

async function decide({ spec }: Case): Promise<{ crd: Decision; core: Decision }> {
  return { crd: await crdDecision(spec), core: coreDecision(spec) };
}

describe('ServiceGroup validation: the CRD and parseServiceGroupSpec agree', () => {
  it.each(CASES.filter((c) => c.verdict.kind === 'accepted'))('both accept $name', async (c) => {
    expect(await decide(c)).toEqual({ crd: { accepted: true }, core: { accepted: true } });
  });

  it.each(CASES.filter((c) => c.verdict.kind === 'rejected'))('both reject $name', async (c) => {
    if (c.verdict.kind !== 'rejected') throw new Error('filtered above');
    const { path: at, meaning } = c.verdict;
    expect(await decide(c)).toEqual({
      crd: rejectedAt(at, MEANINGS[meaning].crd),
      core: rejectedAt(at, MEANINGS[meaning].core),
    });
  });

  it.each(CASES.filter((c) => c.verdict.kind === 'core-only'))(
    'known difference, only ipam-core rejects $name',
    async (c) => {
      if (c.verdict.kind !== 'core-only') throw new Error('filtered above');
      const { path: at, meaning } = c.verdict;
      expect(await decide(c)).toEqual({ crd: { accepted: true }, core: rejectedAt(at, MEANINGS[meaning].core) });
    },
  );
});
