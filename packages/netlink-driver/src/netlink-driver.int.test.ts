// The real driver checked against `ip -json` as the oracle, announcements observed from a peer
// namespace, and the namespace clean-up the kernel tests rely on.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { filter } from 'rxjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNamespaceWorld, requireKernelTests } from './namespace-world.fixture.ts';
import type { Namespace } from './netns.fixture.ts';
import { createNamespace, namespaceExists } from './netns.fixture.ts';
import type { NetlinkDriver } from './netlink-driver.ts';

interface IpAddr {
  ifname: string;
  ifindex: number;
  address?: string;
  operstate: string;
  flags: string[];
  linkinfo?: { info_kind?: string };
  addr_info: {
    family: string;
    local: string;
    prefixlen: number;
    scope: string;
    noprefixroute?: boolean;
    nodad?: boolean;
    secondary?: boolean;
    tentative?: boolean;
  }[];
}

const ipLinks = (ns: Namespace, ...args: string[]): IpAddr[] => ns.ipJson(...args) as IpAddr[];
const neighbours = (ns: Namespace): { dst: string; lladdr: string }[] =>
  ns.ipJson('neigh', 'show', 'dev', 'peer0') as { dst: string; lladdr: string }[];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function world(): Promise<{ ns: Namespace; driver: NetlinkDriver }> {
  const w = await createNamespaceWorld();
  cleanup.push(() => w.dispose());
  return { ns: w.ns, driver: w.driver };
}

async function value<T>(result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`expected success, got ${JSON.stringify(r.error)}`);
  return r.value;
}

async function until<T>(probe: () => T | undefined, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Two namespaces joined by a veth pair: `lan0` in `a` (the driver's), `peer0` in `b`. */
async function pair(): Promise<{ a: Namespace; b: Namespace; driver: NetlinkDriver; mac: string }> {
  const { ns: a, driver } = await world();
  const b = createNamespace();
  cleanup.push(() => {
    b.remove();
    return Promise.resolve();
  });
  a.ip('link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'peer0', 'netns', b.name);
  a.ip('link', 'set', 'lan0', 'up');
  b.ip('link', 'set', 'peer0', 'up');
  a.ip('addr', 'add', '192.0.2.1/24', 'dev', 'lan0');
  b.ip('addr', 'add', '192.0.2.2/24', 'dev', 'peer0');
  a.ip('addr', 'add', '2001:db8:2::1/64', 'dev', 'lan0', 'nodad');
  b.ip('addr', 'add', '2001:db8:2::2/64', 'dev', 'peer0', 'nodad');
  const mac = ipLinks(a, 'link', 'show', 'lan0')[0]?.address ?? '';
  return { a, b, driver, mac };
}

describe('netlink driver on the real kernel', () => {
  beforeAll(() => {
    requireKernelTests();
  });

  it('reads what ip -json shows: links, kinds, MACs, addresses, flags, default routes', async () => {
    const { ns, driver } = await world();
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    ns.ip('link', 'add', 'ifb7', 'type', 'ifb');
    ns.ip('link', 'add', 'mv0', 'link', 'br0', 'type', 'macvlan', 'mode', 'bridge');
    ns.ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
    for (const l of ['br0', 'va', 'vb', 'mv0']) ns.ip('link', 'set', l, 'up');
    ns.ip('addr', 'add', '203.0.113.1/24', 'dev', 'va');
    ns.ip('addr', 'add', '203.0.113.9/24', 'dev', 'va', 'noprefixroute');
    ns.ip('addr', 'add', '198.51.100.1/32', 'dev', 'br0');
    ns.ip('addr', 'add', '2001:db8:3::1/64', 'dev', 'va', 'nodad', 'noprefixroute');
    ns.ip('route', 'add', 'default', 'via', '203.0.113.254', 'dev', 'va', 'metric', '50');
    ns.ip('route', 'add', 'default', 'via', '198.51.100.254', 'dev', 'br0', 'metric', '10', 'onlink');

    const oracle = ipLinks(ns, '-d', 'addr', 'show');
    const links = await value(driver.listLinks());
    expect(links.map((l) => [l.index, l.name, l.kind, l.mac, l.adminUp])).toEqual(
      oracle.map((o) => [o.ifindex, o.ifname, o.linkinfo?.info_kind, o.address, o.flags.includes('UP')]),
    );
    const addresses = await value(driver.listAddresses());
    const mine = (list: readonly { link: string; address: string }[]): string[] =>
      list.map((x) => `${x.link} ${x.address}`).sort();
    const fromOracle = oracle.flatMap((o) =>
      o.addr_info.map((a) => ({
        link: o.ifname,
        address: a.local,
        line: `${o.ifname} ${a.family} ${a.local}/${a.prefixlen} ${a.scope} ${a.noprefixroute === true} ${a.nodad === true} ${a.secondary === true} ${a.tentative === true}`,
      })),
    );
    expect(mine(addresses)).toEqual(mine(fromOracle));
    const lines = addresses.map(
      (a) =>
        `${a.link} ${a.family === 'IPv4' ? 'inet' : 'inet6'} ${a.address}/${a.prefixLength} ${a.scope} ${a.flags.noPrefixRoute} ${a.flags.noDad} ${a.flags.secondary} ${a.flags.tentative}`,
    );
    expect(lines.sort()).toEqual(fromOracle.map((o) => o.line).sort());
    const routes = ns.ipJson('-4', 'route', 'show', 'default') as { dev: string; gateway: string; metric?: number }[];
    expect((await value(driver.defaultRoutes('IPv4'))).map((r) => [r.link, r.gateway, r.metric])).toEqual(
      routes.map((r) => [r.dev, r.gateway, r.metric ?? 0]).sort((x, y) => Number(x[2]) - Number(y[2])),
    );
  });

  it('writes what ip -json then shows, v4 and v6, and ensures links of other kinds', async () => {
    const { ns, driver } = await world();
    expect(await value(driver.ensureLink({ name: 'kube-lb0', kind: 'bridge' }))).toMatchObject({ kind: 'created' });
    await value(driver.addAddress({ link: 'kube-lb0', address: '192.0.2.10', prefixLength: 24, noPrefixRoute: true }));
    await value(
      driver.addAddress({
        link: 'kube-lb0',
        address: '2001:db8:4::10',
        prefixLength: 64,
        noPrefixRoute: true,
        noDad: true,
      }),
    );
    await value(driver.replaceAddress({ link: 'kube-lb0', address: '192.0.2.11', prefixLength: 32 }));
    const shown = () =>
      ipLinks(ns, 'addr', 'show', 'kube-lb0')
        .flatMap((o) =>
          o.addr_info
            .filter((a) => a.scope === 'global')
            .map(
              (a) =>
                `${a.local}/${a.prefixlen}${a.noprefixroute === true ? ' noprefixroute' : ''}${a.nodad === true ? ' nodad' : ''}`,
            ),
        )
        .sort();
    expect(shown()).toEqual(['192.0.2.10/24 noprefixroute', '192.0.2.11/32', '2001:db8:4::10/64 noprefixroute nodad']);
    expect((ns.ipJson('-4', 'route', 'show', 'dev', 'kube-lb0') as { dst: string }[]).map((r) => r.dst)).not.toContain(
      '192.0.2.0/24',
    );
    ns.ip('link', 'set', 'kube-lb0', 'down');
    expect(await value(driver.ensureLink({ name: 'kube-lb0', kind: 'bridge' }))).toMatchObject({ kind: 'broughtUp' });
    expect(ipLinks(ns, 'link', 'show', 'kube-lb0')[0]?.flags).toContain('UP');
    await value(driver.deleteAddress({ link: 'kube-lb0', address: '192.0.2.10', prefixLength: 24 }));
    await value(driver.deleteAddress({ link: 'kube-lb0', address: '2001:db8:4::10', prefixLength: 64 }));
    expect(shown()).toEqual(['192.0.2.11/32']);
    const dummy = await driver.ensureLink({ name: 'kube-lb1' });
    const hasDummy = spawnSync('ip', ['-n', ns.name, 'link', 'add', 'probe-d', 'type', 'dummy']).status === 0;
    expect(dummy.ok).toBe(hasDummy);
    if (!dummy.ok) expect(dummy.error.code).toBe('EOPNOTSUPP');
  });

  it('sees an address removed by hand at once, so a watcher can put it back', async () => {
    const { ns, driver } = await world();
    ns.ip('link', 'add', 'lan0', 'type', 'bridge');
    await value(driver.addAddress({ link: 'lan0', address: '198.51.100.5', prefixLength: 32 }));
    const restorer = driver
      .changes()
      .pipe(filter((c) => c.kind === 'address' && c.action === 'del' && c.address.owned))
      .subscribe((c) => {
        if (c.kind === 'address')
          void driver.addAddress({
            link: c.address.link,
            address: c.address.address,
            prefixLength: c.address.prefixLength,
          });
      });
    cleanup.push(() => {
      restorer.unsubscribe();
      return Promise.resolve();
    });
    await value(driver.listLinks());
    ns.ip('addr', 'del', '198.51.100.5/32', 'dev', 'lan0');
    const back = await until(
      () => ipLinks(ns, 'addr', 'show', 'lan0')[0]?.addr_info.find((a) => a.local === '198.51.100.5'),
      'the address to come back',
    );
    expect(back.prefixlen).toBe(32);
  });

  it('takes 600 concurrent writes on one socket (past where the netlink package aborts unbounded) and lists them all', async () => {
    const { ns, driver } = await world();
    ns.ip('link', 'add', 'lan0', 'type', 'bridge');
    const addresses = ['192.0.2', '198.51.100', '203.0.113'].flatMap((net) =>
      Array.from({ length: 200 }, (_, i) => `${net}.${i + 1}`),
    );
    const added = await Promise.all(
      addresses.map((address) => driver.addAddress({ link: 'lan0', address, prefixLength: 32 })),
    );
    expect(added.filter((r) => !r.ok)).toEqual([]);
    expect((await value(driver.listAddresses({ link: 'lan0', ownedOnly: true }))).length).toBe(600);
    expect(ipLinks(ns, 'addr', 'show', 'lan0')[0]?.addr_info.length).toBe(600);
  });

  it('sends gratuitous ARP that a peer namespace sees and learns the new MAC from', async () => {
    const { a, b, driver, mac } = await pair();
    b.ip('neigh', 'replace', '192.0.2.50', 'lladdr', '02:00:00:00:00:99', 'dev', 'peer0', 'nud', 'stale');
    const capture = b.run('tcpdump', ['-n', '-e', '-c', '1', '-i', 'peer0', 'arp and host 192.0.2.50'], 8000);
    await new Promise((r) => setTimeout(r, 500)); // tcpdump attaches
    await value(driver.addAddress({ link: 'lan0', address: '192.0.2.50', prefixLength: 24, noPrefixRoute: true }));
    expect(await value(driver.announce({ link: 'lan0', address: '192.0.2.50' }))).toEqual({ kind: 'sent' });
    const seen = await capture;
    expect(seen.stdout).toContain(`${mac} > ff:ff:ff:ff:ff:ff`);
    expect(seen.stdout).toMatch(/Request who-has 192\.0\.2\.50 .*tell 192\.0\.2\.50/);
    const neighbour = neighbours(b).find((n) => n.dst === '192.0.2.50');
    expect(neighbour?.lladdr).toBe(mac);
    expect(a.name).not.toBe(b.name);
  });

  it('sends an unsolicited Neighbor Advertisement that a peer namespace sees and learns the new MAC from', async () => {
    const { b, driver, mac } = await pair();
    b.ip('neigh', 'replace', '2001:db8:2::50', 'lladdr', '02:00:00:00:00:98', 'dev', 'peer0', 'nud', 'stale');
    const capture = b.run('tcpdump', ['-n', '-e', '-vv', '-c', '1', '-i', 'peer0', 'icmp6 and ip6[40] == 136'], 8000);
    await new Promise((r) => setTimeout(r, 500));
    await value(
      driver.addAddress({
        link: 'lan0',
        address: '2001:db8:2::50',
        prefixLength: 64,
        noPrefixRoute: true,
        noDad: true,
      }),
    );
    expect(await value(driver.announce({ link: 'lan0', address: '2001:db8:2::50' }))).toEqual({ kind: 'sent' });
    const seen = await capture;
    expect(seen.stdout).toContain('neighbor advertisement, length 32, tgt is 2001:db8:2::50, Flags [override]');
    expect(seen.stdout).toContain('hlim 255');
    expect(seen.stdout).toContain('icmp6 sum ok');
    expect(seen.stdout).toContain(mac);
    const neighbour = await until(
      () => neighbours(b).find((n) => n.dst === '2001:db8:2::50' && n.lladdr === mac),
      'the peer to learn the new MAC',
    );
    expect(neighbour.lladdr).toBe(mac);
  });

  it('removes the namespaces of a test process that dies, and says plainly when it cannot run', () => {
    const script = join(import.meta.dirname, 'netns.fixture.ts');
    const crash = `import { createNamespace } from ${JSON.stringify(script)}; const ns = createNamespace(); console.log(ns.name); throw new Error('test failed');`;
    const died = spawnSync(process.execPath, ['--input-type=module', '-e', crash], { encoding: 'utf8' });
    expect(died.status).not.toBe(0);
    const name = died.stdout.trim();
    expect(name).toMatch(/^purelb-nl-[0-9a-f]{8}$/);
    expect(namespaceExists(name)).toBe(false);

    const probe = `import { kernelTestsUnavailable } from ${JSON.stringify(script)}; console.log(kernelTestsUnavailable());`;
    const asNobody = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', probe],
      { encoding: 'utf8' },
    );
    expect(asNobody.stdout.trim()).toBe(
      'the netlink kernel tests need root (they create network namespaces); run them as root',
    );
  });
});
