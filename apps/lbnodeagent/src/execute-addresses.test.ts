import { describe, expect, it } from 'vitest';
import { executeAddressActions } from './execute-addresses.ts';
import type { AddressAction } from './plan-addresses.ts';
import { createFakeNetwork } from './testing/fake-network.ts';

const spec = (address: string, iface = 'eth0') => ({
  interface: iface,
  family: 'IPv4' as const,
  address,
  prefixLength: 24,
});

describe('executeAddressActions', () => {
  it('creates the link, removes, adds and announces; converges the fake kernel', async () => {
    const network = createFakeNetwork({
      links: [{ name: 'eth0', addresses: ['192.0.2.11/24'] }],
      ours: ['192.0.2.99/24@eth0'],
    });
    const actions: AddressAction[] = [
      { kind: 'ensure-link', interface: 'kube-lb0', linkKind: 'dummy' },
      { kind: 'remove', spec: spec('192.0.2.99') },
      { kind: 'add', spec: spec('192.0.2.240'), local: true, services: ['ns/a'] },
      { kind: 'announce', spec: spec('192.0.2.240') },
      { kind: 'add', spec: spec('203.0.113.5', 'kube-lb0'), local: false, services: ['ns/b'] },
    ];
    const r = await executeAddressActions(actions, network);
    expect(r.failures).toEqual([]);
    expect(r.done.map((a) => a.kind)).toEqual(['ensure-link', 'remove', 'add', 'add']);
    expect(await r.announcements).toEqual({ sent: [actions[3]], failures: [] });
    expect(network.ours()).toEqual(['192.0.2.240/24@eth0', '203.0.113.5/24@kube-lb0']);
    expect(network.announced).toEqual([spec('192.0.2.240')]);
  });

  it('carries on after a failure, reports it per address, and announces nothing it could not add', async () => {
    const network = createFakeNetwork({ links: [{ name: 'eth0', addresses: ['192.0.2.11/24'] }] });
    const actions: AddressAction[] = [
      { kind: 'add', spec: spec('192.0.2.240', 'missing0'), local: true, services: ['ns/a'] },
      { kind: 'announce', spec: spec('192.0.2.240', 'missing0') },
      { kind: 'add', spec: spec('192.0.2.241'), local: true, services: ['ns/b'] },
    ];
    const r = await executeAddressActions(actions, network);
    expect([...r.failedAdds.keys()]).toEqual(['192.0.2.240']);
    expect(r.failures.map((f) => f.error.code)).toEqual(['NoSuchInterface']);
    expect(network.ours()).toEqual(['192.0.2.241/24@eth0']);
    expect((await r.announcements).sent).toEqual([]);
    expect(network.calls.announce).toBe(0);
  });

  it('a failed announcement is reported without failing the pass', async () => {
    const network = createFakeNetwork({ links: [{ name: 'eth0', addresses: ['192.0.2.11/24'] }] });
    network.setFault('announce', { code: 'KernelError', message: 'arping: not found' });
    const r = await executeAddressActions(
      [
        { kind: 'add', spec: spec('192.0.2.240'), local: true, services: [] },
        { kind: 'announce', spec: spec('192.0.2.240') },
      ],
      network,
    );
    expect(r.failures).toEqual([]);
    expect((await r.announcements).failures.map((f) => f.error.message)).toEqual(['arping: not found']);
  });
});
