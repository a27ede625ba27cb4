// deploy/crds/servicegroups.purelb.io.yaml on the real API server: what it accepts, what it
// defaults, and the exact message a user sees for each rule that rejects.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestNamespace } from './test-namespace.ts';
import { testAdminRequest, testKubeConfig } from './vitest.ts';

let ns: string;
let serial = 0;
beforeAll(async () => {
  ns = await createTestNamespace(testKubeConfig(), 'sg-crd');
});

const path = (): string => `/apis/purelb.io/v1/namespaces/${ns}/servicegroups`;

interface Created {
  readonly status: number;
  readonly name: string;
  readonly body: { message?: string; spec?: unknown; metadata?: { generation?: number } };
}

async function create(spec: unknown): Promise<Created> {
  const name = `sg-${++serial}`;
  const body = {
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name },
    ...(spec === undefined ? {} : { spec }),
  };
  const res = await testAdminRequest({ method: 'POST', path: path(), body });
  if (res.kind !== 'response') throw new Error(res.error);
  return { status: res.status, name, body: JSON.parse(res.body) as Created['body'] };
}

/** Creates a group with `spec.local = local`; expects 201 and returns the stored spec.local. */
async function accepted(local: unknown): Promise<unknown> {
  const res = await create({ local });
  expect(res.body.message, 'no rejection').toBeUndefined();
  expect(res.status).toBe(201);
  return (res.body.spec as { local: unknown }).local;
}

/** Creates a group with `spec`; expects 422 with exactly these field errors, in this order. */
async function rejectedSpec(spec: unknown, ...errors: string[]): Promise<void> {
  const res = await create(spec);
  expect(res.status).toBe(422);
  const detail = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
  expect(res.body.message).toBe(`ServiceGroup.purelb.io "${res.name}" is invalid: ${detail}`);
}

const rejected = (local: unknown, ...errors: string[]): Promise<void> => rejectedSpec({ local }, ...errors);

// What the API server appends when a structural-schema error stops it before the CEL rules.
const CEL_SKIPPED =
  '<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

const V4 = '192.0.2.0/24';
const V6 = '2001:db8::/64';
const v4 = (pool: string, extra: Record<string, string> = {}): { v4pools: Record<string, string>[] } => ({
  v4pools: [{ pool, subnet: V4, ...extra }],
});
const v6 = (pool: string, extra: Record<string, string> = {}): { v6pools: Record<string, string>[] } => ({
  v6pools: [{ pool, subnet: V6, ...extra }],
});

describe('accepted groups', () => {
  it('takes the example of the spec, and defaults aggregation to "default"', async () => {
    expect(
      await accepted({
        v4pools: [{ pool: '192.168.10.240-192.168.10.243', subnet: '192.168.10.0/24', aggregation: 'default' }],
        v6pools: [{ pool: 'fc00:270:154:0:8100::4/64', subnet: 'fc00:270:154::/64' }],
      }),
    ).toEqual({
      v4pools: [{ pool: '192.168.10.240-192.168.10.243', subnet: '192.168.10.0/24', aggregation: 'default' }],
      v6pools: [{ pool: 'fc00:270:154:0:8100::4/64', subnet: 'fc00:270:154::/64', aggregation: 'default' }],
    });
  });

  it('takes the singular v4pool and v6pool', async () => {
    expect(
      await accepted({ v4pool: { pool: V4, subnet: V4 }, v6pool: { pool: V6, subnet: V6, aggregation: '/128' } }),
    ).toEqual({
      v4pool: { pool: V4, subnet: V4, aggregation: 'default' },
      v6pool: { pool: V6, subnet: V6, aggregation: '/128' },
    });
  });

  it.each([
    { pool: '192.0.2.10-192.0.2.20', subnet: V4, aggregation: '/32' },
    { pool: '2001:db8::10-2001:db8::20', subnet: V6, aggregation: '/33' },
    { pool: V4, subnet: V4 },
  ])('takes the legacy single-pool form %j as written (no defaults)', async (local) => {
    expect(await accepted(local)).toEqual(local);
  });

  it.each([
    ['192.0.2.9-192.0.2.10', 'v4'],
    ['192.0.2.99-192.0.2.100', 'v4'],
    ['192.0.2.255-192.0.3.0', 'v4'],
    ['192.0.2.10 - 192.0.2.10', 'v4'],
    ['2001:db8::f-2001:db8::10', 'v6'],
    ['2001:db8::ffff-2001:db8::1:0', 'v6'],
    ['2001:DB8::A-2001:db8::b', 'v6'],
    ['2001:db8:0:0:0:0:0:a-2001:db8::b', 'v6'],
    ['2001:db8::-2001:db8::', 'v6'],
    ['2001:db8:: - 2001:db8:0:0:0:0:0:1', 'v6'],
  ])('orders the range %s by address, not by text', async (pool, family) => {
    await accepted(family === 'v4' ? v4(pool) : { v6pools: [{ pool, subnet: '2001:db8::/48' }] });
  });

  it.each([
    ['v4', '/8'],
    ['v4', '/32'],
    ['v6', '/8'],
    ['v6', '/128'],
  ])('takes the %s aggregation %s', async (family, aggregation) => {
    await accepted(family === 'v4' ? v4(V4, { aggregation }) : v6(V6, { aggregation }));
  });
});

describe('a pool', () => {
  it.each(['192.0.2.300/24', '192.0.2.1-192.0.2', '192.0.2.1-192.0.2.2-192.0.2.3', '192.0.2.0/24 ', 'pool-a'])(
    'is a CIDR or a range of two addresses, not %j',
    async (pool) => {
      await rejected(
        v4(pool),
        `spec.local.v4pools[0].pool: Invalid value: ${JSON.stringify(pool)}: must be a CIDR (192.0.2.0/24, 2001:db8::/64) or a range of two addresses (192.0.2.10-192.0.2.20)`,
      );
    },
  );

  it('does not mix families in a range', async () => {
    await rejected(
      v4('192.0.2.1-2001:db8::1'),
      'spec.local.v4pools[0].pool: Invalid value: "192.0.2.1-2001:db8::1": a range must not mix IPv4 and IPv6 addresses',
    );
  });

  it('is IPv4 in v4pools', async () => {
    await rejected(
      v4('2001:db8::1-2001:db8::9'),
      'spec.local.v4pools[0].pool: Invalid value: "2001:db8::1-2001:db8::9": must be IPv4 (IPv6 pools belong in v6pools or v6pool)',
    );
  });

  it('is IPv6 in v6pools', async () => {
    await rejected(
      { v6pool: { pool: V4, subnet: V6 } },
      `spec.local.v6pool.pool: Invalid value: "${V4}": must be IPv6 (IPv4 pools belong in v4pools or v4pool)`,
    );
  });

  it.each([
    ['v4', '192.0.2.20-192.0.2.10'],
    ['v4', '192.0.2.100-192.0.2.99'],
    ['v4', '192.0.3.0 - 192.0.2.255'],
    ['v6', '2001:db8::10-2001:db8::f'],
    ['v6', '2001:db8::1:0-2001:db8::ffff'],
    ['v6', '2001:DB8::B-2001:db8::a'],
    ['v6', '2001:db8::1-2001:db8::'],
  ])('does not run backwards (%s %s)', async (family, pool) => {
    const field = family === 'v4' ? 'v4pools' : 'v6pools';
    await rejected(
      family === 'v4' ? v4(pool) : v6(pool),
      `spec.local.${field}[0].pool: Invalid value: ${JSON.stringify(pool)}: the range starts after it ends (write the lower address first)`,
    );
  });

  it('does not run backwards in the legacy form either', async () => {
    await rejected(
      { pool: '1::-::ffff', subnet: '::/0' },
      'spec.local.pool: Invalid value: "1::-::ffff": the range starts after it ends (write the lower address first)',
    );
  });

  it('is at most 100 characters', async () => {
    const pool = `192.0.2.1${' '.repeat(90)}-192.0.2.2`;
    await rejected(v4(pool), 'spec.local.v4pools[0].pool: Too long: may not be more than 100 bytes', CEL_SKIPPED);
  });

  it('has a subnet', async () => {
    await rejected({ v4pools: [{ pool: V4 }] }, 'spec.local.v4pools[0].subnet: Required value', CEL_SKIPPED);
  });
});

describe('a subnet', () => {
  it.each(['192.0.2.0/33', '192.0.2.0', 'lan'])('is a CIDR, not %j', async (subnet) => {
    await rejected(
      { v4pools: [{ pool: V4, subnet }] },
      `spec.local.v4pools[0].subnet: Invalid value: ${JSON.stringify(subnet)}: must be a CIDR (192.0.2.0/24, 2001:db8::/64)`,
    );
  });

  it('is IPv4 in v4pools', async () => {
    await rejected(
      { v4pools: [{ pool: V4, subnet: V6 }] },
      `spec.local.v4pools[0].subnet: Invalid value: "${V6}": must be IPv4 (IPv6 subnets belong in v6pools or v6pool)`,
    );
  });

  it('is IPv6 in v6pools', async () => {
    await rejected(
      { v6pools: [{ pool: V6, subnet: V4 }] },
      `spec.local.v6pools[0].subnet: Invalid value: "${V4}": must be IPv6 (IPv4 subnets belong in v4pools or v4pool)`,
    );
  });

  it('is of the pool family in the legacy form', async () => {
    await rejected(
      { pool: '192.0.2.1-192.0.2.9', subnet: V6 },
      `spec.local.subnet: Invalid value: subnet "${V6}" and pool "192.0.2.1-192.0.2.9" are of different IP families`,
    );
  });
});

describe('an aggregation', () => {
  it.each(['24', '/024', 'Default', '/'])('is "default" or "/N", not %j', async (aggregation) => {
    await rejected(
      v4(V4, { aggregation }),
      `spec.local.v4pools[0].aggregation: Invalid value: ${JSON.stringify(aggregation)}: must be "default" or "/N"`,
    );
  });

  it.each(['/7', '/33'])('is /8 to /32 for IPv4, not %s', async (aggregation) => {
    await rejected(
      v4(V4, { aggregation }),
      `spec.local.v4pools[0].aggregation: Invalid value: "${aggregation}": must be from /8 to /32 for IPv4`,
    );
  });

  it.each(['/7', '/129'])('is /8 to /128 for IPv6, not %s', async (aggregation) => {
    await rejected(
      v6(V6, { aggregation }),
      `spec.local.v6pools[0].aggregation: Invalid value: "${aggregation}": must be from /8 to /128 for IPv6`,
    );
  });

  it('is /8 to /32 for an IPv4 legacy pool', async () => {
    await rejected(
      { pool: V4, subnet: V4, aggregation: '/33' },
      'spec.local.aggregation: Invalid value: aggregation "/33" must be from /8 to /32 for an IPv4 subnet',
    );
  });
});

describe('a group', () => {
  it('has a spec', async () => {
    await rejectedSpec(undefined, 'spec: Required value', CEL_SKIPPED);
  });

  it('has spec.local', async () => {
    await rejectedSpec({}, 'spec.local: Required value', CEL_SKIPPED);
  });

  it('has at least one pool', async () => {
    await rejected(
      { v4pools: [], v6pools: [] },
      'spec.local: Required value: a group needs at least one pool: set v4pools, v6pools, v4pool, v6pool, or pool and subnet',
    );
  });

  it('does not set both v4pool and v4pools', async () => {
    await rejected(
      { v4pool: { pool: V4, subnet: V4 }, ...v4(V4) },
      'spec.local: Forbidden: set either v4pool or v4pools, not both',
    );
  });

  it('does not set both v6pool and v6pools', async () => {
    await rejected(
      { v6pool: { pool: V6, subnet: V6 }, ...v6(V6) },
      'spec.local: Forbidden: set either v6pool or v6pools, not both',
    );
  });

  it('does not combine the legacy form with the lists', async () => {
    await rejected(
      { pool: V4, subnet: V4, ...v6(V6) },
      'spec.local: Forbidden: the single-pool form (pool, subnet) cannot be combined with v4pool, v4pools, v6pool or v6pools',
    );
  });

  it.each([
    [{ pool: V4 }, 'subnet'],
    [{ subnet: V4 }, 'pool'],
  ])('writes the legacy form whole, not %j', async (local, missing) => {
    await rejected(local, `spec.local.${missing}: Required value: the single-pool form needs both pool and subnet`);
  });

  it('puts aggregation under local only with the legacy pool', async () => {
    await rejected(
      { aggregation: '/24', ...v4(V4) },
      'spec.local.aggregation: Forbidden: aggregation at this level belongs to the single-pool form and needs pool and subnet',
    );
  });

  it('has at most 64 pools per family', async () => {
    const pools = Array.from({ length: 65 }, (_, i) => ({ pool: `192.0.2.${i}-192.0.2.${i}`, subnet: V4 }));
    await rejected({ v4pools: pools }, 'spec.local.v4pools: Too many: 65: must have at most 64 items', CEL_SKIPPED);
  });

  it('reports every problem at once', async () => {
    await rejected(
      {
        v4pools: [
          { pool: '192.0.2.9-192.0.2.1', subnet: V4 },
          { pool: V4, subnet: V4, aggregation: '/33' },
        ],
      },
      'spec.local.v4pools[0].pool: Invalid value: "192.0.2.9-192.0.2.1": the range starts after it ends (write the lower address first)',
      'spec.local.v4pools[1].aggregation: Invalid value: "/33": must be from /8 to /32 for IPv4',
    );
  });
});

describe('status', () => {
  const table = 'application/json;as=Table;v=v1;g=meta.k8s.io';

  it('is a subresource with decimal counts, shown in the printer columns', async () => {
    const { name } = await create({ local: { ...v4(V4), ...v6(V6) } });
    const status = {
      observedGeneration: 1,
      pools: `${V4}, ${V6}`,
      v4: { capacity: '256', allocated: '3', available: '253' },
      v6: { capacity: '18446744073709551616', allocated: '1', available: '18446744073709551615' },
      usage: { v4: '3/256', v6: '1/18.4E' },
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Valid',
          message: 'all pools usable',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    };
    const patch = await testAdminRequest({
      method: 'PATCH',
      path: `${path()}/${name}/status`,
      body: { status },
      contentType: 'application/merge-patch+json',
    });
    expect(patch.kind === 'response' && patch.status).toBe(200);

    const res = await testAdminRequest({ method: 'GET', path: `${path()}/${name}`, accept: table });
    if (res.kind !== 'response') throw new Error(res.error);
    const t = JSON.parse(res.body) as {
      columnDefinitions: { name: string; priority: number }[];
      rows: { cells: unknown[] }[];
    };
    // The default view (priority 0) fits 120 columns; exact counts and the pools are in -o wide.
    expect(t.columnDefinitions.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Reason:0',
      'IPv4:0',
      'IPv6:0',
      'Age:0',
      'Pools:1',
      'Allocated v4:1',
      'Available v4:1',
      'Allocated v6:1',
      'Available v6:1',
    ]);
    const cells = t.rows[0]!.cells;
    expect([...cells.slice(0, 5), ...cells.slice(6)]).toEqual([
      name,
      'True',
      'Valid',
      '3/256',
      '1/18.4E',
      `${V4}, ${V6}`,
      '3',
      '253',
      '1',
      '18446744073709551615',
    ]);
  });

  it('is not changed through the main resource', async () => {
    const { name } = await create({ local: v4(V4) });
    const res = await testAdminRequest({
      method: 'PATCH',
      path: `${path()}/${name}`,
      body: { status: { pools: 'x' } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.kind === 'response' && (JSON.parse(res.body) as { status?: unknown }).status).toBeUndefined();
  });

  it('keeps counts as decimal strings', async () => {
    const { name } = await create({ local: v4(V4) });
    const res = await testAdminRequest({
      method: 'PATCH',
      path: `${path()}/${name}/status`,
      body: { status: { v4: { capacity: '-1' } } },
      contentType: 'application/merge-patch+json',
    });
    expect(res.kind === 'response' && (JSON.parse(res.body) as { message: string }).message).toBe(
      `ServiceGroup.purelb.io "${name}" is invalid: status.v4.capacity: Invalid value: "-1": v4.capacity in body should match '^[0-9]+$'`,
    );
  });
});
