// Reconfiguration: replacing the groups keeps every holding and reports those left outside.
import { describe, expect, it } from 'vitest';
import type { AllocationRequest } from './allocation.ts';
import { createIpam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';
import type { GroupInput } from './validate-service-groups.ts';

const group = (name: string, createdAt: number, ...pools: string[]): GroupInput => ({
  name,
  createdAt,
  spec: { local: { v4pools: pools.map((pool) => ({ pool, subnet: '192.0.2.0/24' })) } },
});
const v4 = (key: string, g = 'default'): AllocationRequest => ({
  key,
  group: g,
  ipFamilies: ['IPv4'],
  ipFamilyPolicy: 'SingleStack',
});

function setup() {
  const ipam = createIpam(
    validateServiceGroups([group('default', 1, '192.0.2.10-192.0.2.12'), group('spare', 2, '192.0.2.50/31')]),
  );
  for (const key of ['a', 'b', 'c']) ipam.allocate(v4(key));
  ipam.allocate(v4('s', 'spare'));
  return ipam;
}

const addressOf = (r: ReturnType<ReturnType<typeof createIpam>['allocate']>): string =>
  r.ok ? (r.value.addresses[0]?.address ?? '-') : r.error.code;

describe('Ipam.setGroups', () => {
  it('shrinking a pool keeps the holders and reports them', () => {
    const ipam = setup();
    const outside = ipam.setGroups(
      validateServiceGroups([group('default', 1, '192.0.2.10/32'), group('spare', 2, '192.0.2.50/31')]),
    );
    expect(outside).toEqual([
      {
        code: 'AddressOutsidePool',
        key: 'b',
        group: 'default',
        family: 'IPv4',
        address: '192.0.2.11',
        message: '192.0.2.11 of "b" is outside every pool of service group "default"',
      },
      {
        code: 'AddressOutsidePool',
        key: 'c',
        group: 'default',
        family: 'IPv4',
        address: '192.0.2.12',
        message: '192.0.2.12 of "c" is outside every pool of service group "default"',
      },
    ]);
    expect(ipam.outsidePool()).toEqual(outside);
    const again = ipam.allocate(v4('b'));
    expect(again.ok && !again.changed && again.value.addresses[0]?.address).toBe('192.0.2.11');
    expect(addressOf(ipam.allocate(v4('d')))).toBe('PoolExhausted');
    expect(ipam.groupStats('default')?.IPv4).toEqual({ capacity: 1n, allocated: 1n, available: 0n });
  });

  it('deleting a group keeps its holders; new requests for it fail', () => {
    const ipam = setup();
    const outside = ipam.setGroups(validateServiceGroups([group('default', 1, '192.0.2.10-192.0.2.12')]));
    expect(outside.map((o) => o.message)).toEqual(['192.0.2.50 of "s" is outside every pool of service group "spare"']);
    const kept = ipam.allocate(v4('s', 'spare'));
    expect(kept.ok && !kept.changed && kept.value.addresses[0]?.address).toBe('192.0.2.50');
    expect(addressOf(ipam.allocate(v4('t', 'spare')))).toBe('GroupNotFound');
    expect(
      addressOf(
        ipam.allocate({ ...v4('s', 'spare'), ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' }),
      ),
    ).toBe('GroupNotFound');
    expect(ipam.groupStats('spare')).toBeUndefined();
  });

  it('a group turning invalid keeps its holders; new requests get GroupInvalid', () => {
    const ipam = setup();
    ipam.setGroups(
      validateServiceGroups([
        group('default', 1, '192.0.2.10-192.0.2.12'),
        { name: 'spare', createdAt: 2, spec: { local: { v4pools: [{ pool: '192.0.2.50/31' }] } } },
      ]),
    );
    const kept = ipam.allocate(v4('s', 'spare'));
    expect(kept.ok && kept.value.addresses[0]?.address).toBe('192.0.2.50');
    expect(addressOf(ipam.allocate(v4('t', 'spare')))).toBe('GroupInvalid');
  });

  it('growing a pool back clears the report and skips addresses still held', () => {
    const ipam = setup();
    ipam.setGroups(validateServiceGroups([group('default', 1, '192.0.2.10/32'), group('spare', 2, '192.0.2.50/31')]));
    ipam.release('a');
    const outside = ipam.setGroups(
      validateServiceGroups([group('default', 1, '192.0.2.10-192.0.2.14'), group('spare', 2, '192.0.2.50/31')]),
    );
    expect(outside).toEqual([]);
    expect(['x', 'y', 'z'].map((k) => addressOf(ipam.allocate(v4(k))))).toEqual([
      '192.0.2.10',
      '192.0.2.13',
      '192.0.2.14',
    ]);
    expect(ipam.groupStats('default')?.IPv4).toEqual({ capacity: 5n, allocated: 5n, available: 0n });
  });

  it('an address moved to another group stays with its holder and is not handed out there', () => {
    const ipam = setup();
    const outside = ipam.setGroups(
      validateServiceGroups([group('default', 1, '192.0.2.10/32'), group('spare', 2, '192.0.2.11-192.0.2.12')]),
    );
    expect(outside.map((o) => `${o.key} ${o.address}`)).toEqual(['b 192.0.2.11', 'c 192.0.2.12', 's 192.0.2.50']);
    expect(addressOf(ipam.allocate(v4('t', 'spare')))).toBe('PoolExhausted');
    expect(ipam.groupStats('spare')?.IPv4).toEqual({ capacity: 2n, allocated: 2n, available: 0n });
    ipam.release('c');
    expect(addressOf(ipam.allocate(v4('t', 'spare')))).toBe('192.0.2.12');
  });

  it('keeps sharing across a reconfiguration', () => {
    const ipam = createIpam(validateServiceGroups([group('default', 1, '192.0.2.10-192.0.2.12')]));
    ipam.allocate({ ...v4('a'), sharingKey: 'k', ports: [{ protocol: 'TCP', port: 1 }] });
    ipam.setGroups(validateServiceGroups([group('default', 1, '192.0.2.10-192.0.2.20')]));
    const b = ipam.allocate({ ...v4('b'), sharingKey: 'k', ports: [{ protocol: 'TCP', port: 2 }] });
    expect(addressOf(b)).toBe('192.0.2.10');
    expect(ipam.groupStats('default')?.IPv4.allocated).toBe(1n);
  });
});
