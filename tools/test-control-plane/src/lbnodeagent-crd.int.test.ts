// deploy/crds/lbnodeagents.purelb.io.yaml on the real API server: defaults, rules, printer columns.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace } from './test-namespace.ts';
import { testAdminRequest, testKubeConfig } from './vitest.ts';

let ns: string;
let serial = 0;
beforeAll(async () => {
  ns = await createTestNamespace(testKubeConfig(), 'lbna-crd');
});

const path = (): string => `/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents`;

async function create(
  spec: unknown,
): Promise<{ status: number; name: string; body: { message?: string; spec?: unknown } }> {
  const name = `lbna-${++serial}`;
  const body = {
    apiVersion: 'purelb.io/v1',
    kind: 'LBNodeAgent',
    metadata: { name },
    ...(spec === undefined ? {} : { spec }),
  };
  const res = await testAdminRequest({ method: 'POST', path: path(), body });
  if (res.kind !== 'response') throw new Error(res.error);
  return { status: res.status, name, body: JSON.parse(res.body) as { message?: string; spec?: unknown } };
}

async function rejected(local: unknown, error: string): Promise<void> {
  const res = await create({ local });
  expect(res.status).toBe(422);
  expect(res.body.message).toBe(`LBNodeAgent.purelb.io "${res.name}" is invalid: ${error}`);
}

describe('LBNodeAgent', () => {
  it.each([undefined, {}, { local: {} }])('defaults everything when the spec is %j', async (spec) => {
    const res = await create(spec);
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ local: { localint: 'default', extlbint: 'kube-lb0', sendgarp: true } });
  });

  it('keeps what is written', async () => {
    const local = { localint: '^(eth|ens)[0-9]+$', extlbint: 'purelb0', sendgarp: false };
    const res = await create({ local });
    expect(res.status).toBe(201);
    expect(res.body.spec).toEqual({ local });
  });

  it.each(['', 'a/b', 'has space', 'eth0:1', 'sixteen-chars-xx', '.', '..'])(
    'rejects the virtual interface name %j',
    async (extlbint) => {
      await rejected(
        { extlbint },
        `spec.local.extlbint: Invalid value: ${JSON.stringify(extlbint)}: must be a Linux interface name: 1 to 15 characters, no "/", ":" or whitespace, not "." or ".."`,
      );
    },
  );

  it.each(['', '  '])('rejects the blank local interface %j', async (localint) => {
    await rejected(
      { localint },
      `spec.local.localint: Invalid value: ${JSON.stringify(localint)}: must be "default" or a regular expression matched against interface names`,
    );
  });

  it('shows its settings in the printer columns', async () => {
    const { name } = await create({ local: { localint: 'eth0', sendgarp: false } });
    const res = await testAdminRequest({
      method: 'GET',
      path: `${path()}/${name}`,
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
    });
    if (res.kind !== 'response') throw new Error(res.error);
    const t = JSON.parse(res.body) as { columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] };
    expect(t.columnDefinitions.map((c) => c.name)).toEqual([
      'Name',
      'Local Interface',
      'Virtual Interface',
      'GARP',
      'Age',
    ]);
    expect(t.rows[0]!.cells.slice(0, 4)).toEqual([name, 'eth0', 'kube-lb0', false]);
  });
});
