import { describe, expect, it } from 'vitest';
import { allocationRow, formatAllocationTable, isSettled } from './allocation-table.ts';
import type { AllocationRow } from './allocation-table.ts';
import type { ServiceView } from './service-shapes.ts';

const service = (over: {
  ingress?: { ip?: string; hostname?: string }[];
  group?: string;
  condition?: { status: string; reason: string; message: string };
}): ServiceView => ({
  metadata: {
    namespace: 'demo',
    name: 'web',
    ...(over.group === undefined ? {} : { annotations: { 'purelb.io/allocated-from': over.group } }),
  },
  status: {
    ...(over.ingress === undefined ? {} : { loadBalancer: { ingress: over.ingress } }),
    ...(over.condition === undefined
      ? {}
      : {
          conditions: [
            { type: 'Other', status: 'True', reason: 'Else', message: '' },
            { type: 'purelb.io/Allocated', ...over.condition },
          ],
        }),
  },
});

describe('allocationRow', () => {
  it('reads addresses in order, the group annotation and the Allocated condition', () => {
    const row = allocationRow(
      service({
        ingress: [{ ip: '192.0.2.240' }, { ip: '2001:db8:0:8100::4' }],
        group: 'default',
        condition: { status: 'True', reason: 'Allocated', message: '' },
      }),
    );
    expect(row).toEqual({
      service: 'demo/web',
      addresses: ['192.0.2.240', '2001:db8:0:8100::4'],
      group: 'default',
      condition: { status: 'True', reason: 'Allocated', message: '' },
    });
  });

  it('reports nothing for a Service the allocator has not touched', () => {
    expect(allocationRow(service({}))).toEqual({
      service: 'demo/web',
      addresses: [],
      group: undefined,
      condition: undefined,
    });
  });

  it('takes hostnames when there is no ip and skips empty entries', () => {
    expect(allocationRow(service({ ingress: [{}, { hostname: 'lb.example' }] })).addresses).toEqual(['lb.example']);
  });

  it('maps an unexpected condition status to Unknown', () => {
    const row = allocationRow(service({ condition: { status: 'Maybe', reason: 'X', message: '' } }));
    expect(row.condition?.status).toBe('Unknown');
  });
});

describe('isSettled', () => {
  const base: AllocationRow = { service: 'demo/web', addresses: [], group: undefined, condition: undefined };
  it.each<[string, AllocationRow, boolean]>([
    ['no condition yet', base, false],
    ['no condition, addresses already there', { ...base, addresses: ['192.0.2.240'] }, false],
    [
      'True with addresses and group',
      {
        ...base,
        addresses: ['192.0.2.240'],
        group: 'default',
        condition: { status: 'True', reason: 'Allocated', message: '' },
      },
      true,
    ],
    [
      'True with addresses, group annotation not yet written',
      { ...base, addresses: ['192.0.2.240'], condition: { status: 'True', reason: 'Allocated', message: '' } },
      false,
    ],
    ['True without addresses', { ...base, condition: { status: 'True', reason: 'Allocated', message: '' } }, false],
    [
      'False',
      { ...base, condition: { status: 'False', reason: 'PoolExhausted', message: 'no free IPv4 address' } },
      true,
    ],
    ['Unknown', { ...base, condition: { status: 'Unknown', reason: '', message: '' } }, false],
  ])('%s → %s', (_, row, settled) => {
    expect(isSettled(row)).toBe(settled);
  });
});

describe('formatAllocationTable', () => {
  it('aligns columns under a header and marks what is missing', () => {
    const table = formatAllocationTable([
      {
        service: 'demo/dual-require',
        addresses: ['192.0.2.240', '2001:db8:0:8100::4'],
        group: 'default',
        condition: { status: 'True', reason: 'Allocated', message: '' },
      },
      {
        service: 'demo/x',
        addresses: [],
        group: undefined,
        condition: { status: 'False', reason: 'GroupNotFound', message: 'no ServiceGroup "nope"' },
      },
      { service: 'demo/y', addresses: [], group: undefined, condition: undefined },
    ]);
    expect(table.split('\n')).toEqual([
      'SERVICE            ADDRESSES                        GROUP    CONDITION',
      'demo/dual-require  192.0.2.240, 2001:db8:0:8100::4  default  Allocated (True)',
      'demo/x             -                                -        GroupNotFound (False): no ServiceGroup "nope"',
      'demo/y             -                                -        pending',
    ]);
  });

  it('prints only the header for no rows', () => {
    expect(formatAllocationTable([])).toBe('SERVICE  ADDRESSES  GROUP  CONDITION');
  });
});
