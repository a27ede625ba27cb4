// The sharing rule decides alike whether a second key is given an address already held (allocate) and
// whether it keeps one it already shows (import).
import { describe, expect, it } from 'vitest';
import type { PortSpec } from './allocation.ts';
import { createIpam } from './ipam.ts';
import { validateServiceGroups } from './validate-service-groups.ts';

const GROUPS = validateServiceGroups([
  {
    name: 'default',
    createdAt: 1,
    spec: { local: { v4pools: [{ pool: '192.0.2.10-192.0.2.19', subnet: '192.0.2.0/24' }] } },
  },
]);
const ADDRESS = '192.0.2.15';
const tcp = (port: number): PortSpec => ({ protocol: 'TCP', port });
const udp = (port: number): PortSpec => ({ protocol: 'UDP', port });

interface Holder {
  readonly sharingKey?: string;
  readonly ports: readonly PortSpec[];
}

/** First holds the address; second wants it too. `conflict` is the allocation's failure code, if any. */
const cases: readonly {
  name: string;
  first: Holder;
  second: Holder;
  conflict: 'AddressInUse' | 'PortConflict' | undefined;
}[] = [
  {
    name: 'same sharing key, other ports',
    first: { sharingKey: 'web', ports: [tcp(80)] },
    second: { sharingKey: 'web', ports: [tcp(443)] },
    conflict: undefined,
  },
  {
    name: 'same sharing key, same port number, other protocol',
    first: { sharingKey: 'dns', ports: [tcp(53)] },
    second: { sharingKey: 'dns', ports: [udp(53)] },
    conflict: undefined,
  },
  {
    name: 'same sharing key around blanks',
    first: { sharingKey: 'web', ports: [tcp(80)] },
    second: { sharingKey: ' web ', ports: [tcp(81)] },
    conflict: undefined,
  },
  {
    name: 'same sharing key, same port',
    first: { sharingKey: 'web', ports: [tcp(80)] },
    second: { sharingKey: 'web', ports: [tcp(8080), tcp(80)] },
    conflict: 'PortConflict',
  },
  {
    name: 'other sharing key',
    first: { sharingKey: 'web', ports: [tcp(80)] },
    second: { sharingKey: 'api', ports: [tcp(443)] },
    conflict: 'AddressInUse',
  },
  {
    name: 'the second has no sharing key',
    first: { sharingKey: 'web', ports: [tcp(80)] },
    second: { ports: [tcp(443)] },
    conflict: 'AddressInUse',
  },
  {
    name: 'the first has no sharing key',
    first: { ports: [tcp(80)] },
    second: { sharingKey: 'web', ports: [tcp(443)] },
    conflict: 'AddressInUse',
  },
  {
    name: 'a blank sharing key is none',
    first: { sharingKey: ' ', ports: [tcp(80)] },
    second: { sharingKey: ' ', ports: [tcp(443)] },
    conflict: 'AddressInUse',
  },
];

describe('the sharing rule', () => {
  it.each(cases)('$name: allocate and import agree', ({ first, second, conflict }) => {
    const live = createIpam(GROUPS);
    const held = live.allocate({
      key: 'ns/first',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      requestedAddresses: [ADDRESS],
      ...first,
    });
    expect(held.ok).toBe(true);
    const wanted = live.allocate({
      key: 'ns/second',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      requestedAddresses: [ADDRESS],
      ...second,
    });
    expect(wanted.ok ? undefined : wanted.error).toEqual(
      conflict === undefined
        ? undefined
        : expect.objectContaining({ code: conflict, address: ADDRESS, otherKey: 'ns/first' }),
    );

    const imported = createIpam(GROUPS).importAllocations([
      { key: 'ns/first', addresses: [ADDRESS], ...first },
      { key: 'ns/second', addresses: [ADDRESS], ...second },
    ]);
    expect(imported.issues.map((i) => [i.code, i.key, 'heldBy' in i ? i.heldBy : undefined])).toEqual(
      conflict === undefined ? [] : [['AddressCollision', 'ns/second', 'ns/first']],
    );
  });

  it('names the reason in the message', () => {
    const ipam = createIpam(GROUPS);
    ipam.allocate({
      key: 'ns/first',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      requestedAddresses: [ADDRESS],
      sharingKey: 'web',
      ports: [tcp(80)],
    });
    const request = {
      key: 'ns/second',
      ipFamilies: ['IPv4' as const],
      ipFamilyPolicy: 'SingleStack' as const,
      requestedAddresses: [ADDRESS],
    };
    const messages = [
      ipam.allocate({ ...request, ports: [tcp(80)] }),
      ipam.allocate({ ...request, sharingKey: 'api', ports: [tcp(80)] }),
      ipam.allocate({ ...request, sharingKey: 'web', ports: [tcp(80)] }),
    ].map((r) => (r.ok ? 'ok' : r.error.message));
    expect(messages).toEqual([
      'address 192.0.2.15 is in use by "ns/first" and this key has no sharing key',
      'address 192.0.2.15 is in use by "ns/first" under another sharing key',
      'port TCP/80 on 192.0.2.15 is already used by "ns/first"',
    ]);
  });
});
