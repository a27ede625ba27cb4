// The NetlinkDriver contract as one test suite, run against the in-memory fake (unit tests) and the real
// kernel in a network namespace (integration tests), so the fake cannot drift from the kernel.
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Address, NetlinkChange, NetlinkDriver } from './netlink-driver.ts';

/** Changes behind the driver's back, as an operator with `ip` makes them. */
export interface Outside {
  addBridge(name: string): Promise<void> | void;
  removeLink(name: string): Promise<void> | void;
  /** IPv6 addresses skip duplicate address detection (`ip addr add … nodad`). */
  addAddress(link: string, cidr: string): Promise<void> | void;
  removeAddress(link: string, cidr: string): Promise<void> | void;
  addDefaultRoute(route: {
    family: 'IPv4' | 'IPv6';
    link: string;
    gateway: string;
    metric: number;
  }): Promise<void> | void;
}

export interface ContractWorld {
  readonly driver: NetlinkDriver;
  readonly outside: Outside;
  /** Kills the driver (as SIGKILL would) and returns a new one on the same kernel state. */
  restart(): Promise<NetlinkDriver>;
  /** A driver without permission to change the network (no CAP_NET_ADMIN). */
  readOnly(): Promise<NetlinkDriver>;
  dispose(): Promise<void>;
}

const TIMEOUT = 5000;

/** The first change matching `match`, within a few seconds. */
export function nextChange(
  changes: Observable<NetlinkChange>,
  match: (c: NetlinkChange) => boolean,
): Promise<NetlinkChange> {
  return firstValueFrom(changes.pipe(filter(match), take(1)), { defaultValue: { kind: 'lost' } });
}

const isAddress =
  (action: 'new' | 'del', address: string, prefixLength?: number) =>
  (c: NetlinkChange): boolean =>
    c.kind === 'address' &&
    c.action === action &&
    c.address.address === address &&
    (prefixLength === undefined || c.address.prefixLength === prefixLength);

async function value<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r.value;
}

const summary = (a: Address): string =>
  `${a.link} ${a.address}/${a.prefixLength}${a.owned ? ' owned' : ''}${a.flags.noPrefixRoute ? ' noprefixroute' : ''}${a.flags.noDad ? ' nodad' : ''}`;

async function global(driver: NetlinkDriver, link = 'lan0'): Promise<string[]> {
  const listed = await value(driver.listAddresses({ link }));
  return listed
    .filter((a) => a.scope === 'global')
    .map(summary)
    .sort();
}

export function describeDriverContract(name: string, createWorld: () => Promise<ContractWorld>): void {
  describe(`NetlinkDriver contract: ${name}`, () => {
    let world: ContractWorld;
    let driver: NetlinkDriver;

    beforeEach(async () => {
      world = await createWorld();
      driver = world.driver;
      await world.outside.addBridge('lan0');
      await world.outside.addAddress('lan0', '198.51.100.2/24');
      await world.outside.addAddress('lan0', '2001:db8:1::2/64');
      await world.outside.addDefaultRoute({ family: 'IPv4', link: 'lan0', gateway: '198.51.100.1', metric: 100 });
      await world.outside.addDefaultRoute({ family: 'IPv6', link: 'lan0', gateway: '2001:db8:1::1', metric: 100 });
    });
    afterEach(async () => {
      await world.dispose();
    });

    it('reads links with index, kind, state and MAC', async () => {
      const links = await value(driver.listLinks());
      const lan = links.find((l) => l.name === 'lan0');
      expect(lan).toMatchObject({ kind: 'bridge', adminUp: true });
      expect(lan?.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(links.find((l) => l.name === 'lo')).toMatchObject({ index: 1, adminUp: true });
    });

    it('reads addresses per link with prefix length, scope, flags and no mark on addresses it did not add', async () => {
      expect(await global(driver)).toEqual(['lan0 198.51.100.2/24', 'lan0 2001:db8:1::2/64 nodad']);
      const lo = await value(driver.listAddresses({ link: 'lo', family: 'IPv4' }));
      expect(lo.map((a) => [a.address, a.prefixLength, a.scope])).toEqual([['127.0.0.1', 8, 'host']]);
    });

    it('reads the default route of each family', async () => {
      expect(await value(driver.defaultRoutes('IPv4'))).toEqual([
        { family: 'IPv4', link: 'lan0', linkIndex: expect.any(Number) as number, gateway: '198.51.100.1', metric: 100 },
      ]);
      const v6 = await value(driver.defaultRoutes('IPv6'));
      expect(v6.map((r) => [r.link, r.gateway, r.metric])).toEqual([['lan0', '2001:db8:1::1', 100]]);
    });

    it('finds the link and prefix whose subnet holds an address, ignoring addresses it added', async () => {
      expect(await value(driver.findSubnet('198.51.100.77'))).toMatchObject({
        link: 'lan0',
        prefixLength: 24,
        subnet: '198.51.100.0/24',
        address: '198.51.100.2',
      });
      expect(await value(driver.findSubnet('2001:db8:1::99', { link: 'lan0' }))).toMatchObject({
        prefixLength: 64,
        subnet: '2001:db8:1::/64',
      });
      await value(driver.addAddress({ link: 'lan0', address: '203.0.113.5', prefixLength: 24 }));
      expect(await value(driver.findSubnet('203.0.113.9'))).toBeUndefined();
      expect(await value(driver.findSubnet('192.0.2.1'))).toBeUndefined();
      expect((await driver.findSubnet('192.0.2.300')).ok).toBe(false);
    });

    it('adds v4 and v6 addresses with flags and the mark, idempotently', async () => {
      expect(
        await value(
          driver.addAddress({ link: 'lan0', address: '198.51.100.10', prefixLength: 24, noPrefixRoute: true }),
        ),
      ).toEqual({ kind: 'added' });
      expect(
        await value(
          driver.addAddress({ link: 'lan0', address: '198.51.100.10', prefixLength: 24, noPrefixRoute: true }),
        ),
      ).toEqual({ kind: 'present', owned: true });
      expect(
        await value(
          driver.addAddress({
            link: 'lan0',
            address: '2001:db8:1:0:0:0:0:10',
            prefixLength: 64,
            noPrefixRoute: true,
            noDad: true,
          }),
        ),
      ).toEqual({ kind: 'added' });
      expect(
        await value(driver.addAddress({ link: 'lan0', address: '2001:db8:1::10', prefixLength: 64, noDad: true })),
      ).toEqual({ kind: 'present', owned: true });
      expect(await value(driver.addAddress({ link: 'lan0', address: '198.51.100.2', prefixLength: 24 }))).toEqual({
        kind: 'present',
        owned: false,
      });
      expect(await global(driver)).toEqual([
        'lan0 198.51.100.10/24 owned noprefixroute',
        'lan0 198.51.100.2/24',
        'lan0 2001:db8:1::10/64 owned noprefixroute nodad',
        'lan0 2001:db8:1::2/64 nodad',
      ]);
      expect((await value(driver.listAddresses({ ownedOnly: true }))).map(summary).sort()).toEqual([
        'lan0 198.51.100.10/24 owned noprefixroute',
        'lan0 2001:db8:1::10/64 owned noprefixroute nodad',
      ]);
    });

    it('replaces prefix length and flags, and takes the mark', async () => {
      await value(driver.addAddress({ link: 'lan0', address: '198.51.100.20', prefixLength: 24 }));
      expect(
        await value(
          driver.replaceAddress({ link: 'lan0', address: '198.51.100.20', prefixLength: 32, noPrefixRoute: true }),
        ),
      ).toEqual({ kind: 'replaced' });
      expect(
        await value(
          driver.replaceAddress({ link: 'lan0', address: '198.51.100.20', prefixLength: 32, noPrefixRoute: true }),
        ),
      ).toEqual({ kind: 'unchanged' });
      expect(
        await value(driver.replaceAddress({ link: 'lan0', address: '2001:db8:1::20', prefixLength: 128, noDad: true })),
      ).toEqual({ kind: 'added' });
      expect(
        await value(
          driver.replaceAddress({
            link: 'lan0',
            address: '2001:db8:1::20',
            prefixLength: 64,
            noPrefixRoute: true,
            noDad: true,
          }),
        ),
      ).toEqual({ kind: 'replaced' });
      await world.outside.addAddress('lan0', '198.51.100.30/24');
      expect(await value(driver.replaceAddress({ link: 'lan0', address: '198.51.100.30', prefixLength: 24 }))).toEqual({
        kind: 'replaced',
      });
      expect(await global(driver)).toEqual([
        'lan0 198.51.100.2/24',
        'lan0 198.51.100.20/32 owned noprefixroute',
        'lan0 198.51.100.30/24 owned',
        'lan0 2001:db8:1::2/64 nodad',
        'lan0 2001:db8:1::20/64 owned noprefixroute nodad',
      ]);
    });

    it('deletes addresses; deleting what is gone is success', async () => {
      await value(driver.addAddress({ link: 'lan0', address: '198.51.100.40', prefixLength: 24 }));
      await value(driver.addAddress({ link: 'lan0', address: '2001:db8:1::40', prefixLength: 64, noDad: true }));
      expect(await value(driver.deleteAddress({ link: 'lan0', address: '198.51.100.40', prefixLength: 24 }))).toEqual({
        kind: 'deleted',
      });
      expect(await value(driver.deleteAddress({ link: 'lan0', address: '198.51.100.40', prefixLength: 24 }))).toEqual({
        kind: 'absent',
      });
      expect(await value(driver.deleteAddress({ link: 'lan0', address: '2001:db8:1::40', prefixLength: 64 }))).toEqual({
        kind: 'deleted',
      });
      expect(await value(driver.deleteAddress({ link: 'lan0', address: '2001:db8:1::40', prefixLength: 64 }))).toEqual({
        kind: 'absent',
      });
      expect(await global(driver)).toEqual(['lan0 198.51.100.2/24', 'lan0 2001:db8:1::2/64 nodad']);
    });

    it('ensures a link exists and is up, with a configurable kind', async () => {
      const created = await value(driver.ensureLink({ name: 'lb0', kind: 'ifb' }));
      expect(created).toMatchObject({ kind: 'created', link: { name: 'lb0', kind: 'ifb', adminUp: true } });
      expect(await value(driver.ensureLink({ name: 'lb0', kind: 'ifb' }))).toMatchObject({ kind: 'unchanged' });
      expect(await value(driver.ensureLink({ name: 'lan0' }))).toMatchObject({
        kind: 'unchanged',
        link: { kind: 'bridge' },
      });
      expect((await value(driver.listLinks())).filter((l) => l.name === 'lb0')).toHaveLength(1);
    });

    it('answers errors as values: missing link, bad prefix, bad address, bad link name', async () => {
      const missing = await driver.addAddress({ link: 'nosuch0', address: '198.51.100.50', prefixLength: 24 });
      expect(missing).toMatchObject({ ok: false, error: { code: 'ENODEV', op: 'addAddress' } });
      expect(await driver.deleteAddress({ link: 'nosuch0', address: '198.51.100.50', prefixLength: 24 })).toMatchObject(
        { ok: false, error: { code: 'ENODEV' } },
      );
      expect(await driver.listAddresses({ link: 'nosuch0' })).toMatchObject({
        ok: false,
        error: { code: 'ENODEV', op: 'listAddresses' },
      });
      expect(await driver.addAddress({ link: 'lan0', address: '198.51.100.50', prefixLength: 33 })).toMatchObject({
        ok: false,
        error: { code: 'EINVAL' },
      });
      expect(await driver.addAddress({ link: 'lan0', address: '2001:db8::50', prefixLength: 129 })).toMatchObject({
        ok: false,
        error: { code: 'EINVAL' },
      });
      expect(await driver.addAddress({ link: 'lan0', address: '198.51.100.300', prefixLength: 24 })).toMatchObject({
        ok: false,
        error: { code: 'EINVAL' },
      });
      expect(await driver.ensureLink({ name: 'a-name-far-too-long' })).toMatchObject({
        ok: false,
        error: { code: 'EINVAL', op: 'ensureLink' },
      });
    });

    it('answers EPERM to a driver without permission to change the network, and still reads', async () => {
      const weak = await world.readOnly();
      expect(await weak.addAddress({ link: 'lan0', address: '198.51.100.60', prefixLength: 24 })).toMatchObject({
        ok: false,
        error: { code: 'EPERM', op: 'addAddress' },
      });
      expect(await weak.ensureLink({ name: 'lb1', kind: 'ifb' })).toMatchObject({
        ok: false,
        error: { code: 'EPERM' },
      });
      expect(await global(weak)).toEqual(['lan0 198.51.100.2/24', 'lan0 2001:db8:1::2/64 nodad']);
    });

    it('keeps the ownership mark across a driver killed and started again', async () => {
      await value(driver.addAddress({ link: 'lan0', address: '198.51.100.70', prefixLength: 24 }));
      await value(driver.addAddress({ link: 'lan0', address: '2001:db8:1::70', prefixLength: 128, noDad: true }));
      const again = await world.restart();
      expect((await value(again.listAddresses({ ownedOnly: true }))).map(summary).sort()).toEqual([
        'lan0 198.51.100.70/24 owned',
        'lan0 2001:db8:1::70/128 owned nodad',
      ]);
      expect(await value(again.addAddress({ link: 'lan0', address: '198.51.100.70', prefixLength: 24 }))).toEqual({
        kind: 'present',
        owned: true,
      });
    });

    it(
      'reports changes made behind its back, in order',
      async () => {
        const changes = driver.changes();
        const seen = firstValueFrom(
          changes.pipe(
            filter((c) => c.kind === 'address' && c.address.address.startsWith('198.51.100.8')),
            take(3),
            toArray(),
          ),
        );
        await value(driver.listLinks()); // the subscription is in place once a later call has been answered
        await world.outside.addAddress('lan0', '198.51.100.80/24');
        await world.outside.removeAddress('lan0', '198.51.100.80/24');
        await world.outside.addAddress('lan0', '198.51.100.81/25');
        const events = (await seen).map((c) =>
          c.kind === 'address'
            ? `${c.action} ${c.address.link} ${c.address.address}/${c.address.prefixLength} ${c.address.owned}`
            : c.kind,
        );
        expect(events).toEqual([
          'new lan0 198.51.100.80/24 false',
          'del lan0 198.51.100.80/24 false',
          'new lan0 198.51.100.81/25 false',
        ]);
      },
      TIMEOUT * 2,
    );

    it(
      'reports its own additions as owned and link changes as link events',
      async () => {
        const changes = driver.changes();
        const added = nextChange(changes, isAddress('new', '2001:db8:1::90', 128));
        const link = nextChange(changes, (c) => c.kind === 'link' && c.action === 'del' && c.link.name === 'side0');
        await value(driver.listLinks());
        await value(driver.addAddress({ link: 'lan0', address: '2001:db8:1::90', prefixLength: 128, noDad: true }));
        expect(await added).toMatchObject({ kind: 'address', address: { owned: true, link: 'lan0', family: 'IPv6' } });
        await world.outside.addBridge('side0');
        await world.outside.removeLink('side0');
        expect(await link).toMatchObject({ kind: 'link', link: { name: 'side0', kind: 'bridge' } });
      },
      TIMEOUT * 2,
    );

    it(
      'announces an address on its link; an address not there fails as a value',
      async () => {
        await value(driver.addAddress({ link: 'lan0', address: '198.51.100.100', prefixLength: 24 }));
        expect(await value(driver.announce({ link: 'lan0', address: '198.51.100.100' }))).toEqual({ kind: 'sent' });
        expect(await value(driver.announce({ link: 'lan0', address: '198.51.100.100' }))).toEqual({
          kind: 'suppressed',
        });
        expect(await driver.announce({ link: 'lan0', address: '198.51.100.101' })).toMatchObject({
          ok: false,
          error: { code: 'AnnounceFailed', op: 'announce' },
        });
        expect(await driver.announce({ link: 'nosuch0', address: '198.51.100.100' })).toMatchObject({
          ok: false,
          error: { code: 'ENODEV' },
        });
      },
      TIMEOUT * 2,
    );
  });
}
