// The lab's upstream router: the same daemon (BIRD 2) in the router namespace, configured by the test
// (not by the sidecar), peering with every node over IPv4 and IPv6, learning their routes and writing
// them to its kernel with ECMP (`merge paths`), so that the remote client behind it reaches virtual
// addresses only through BGP-learned routes.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Lab, LabHost } from '@purelb/test-lab';

export interface RouterPeer {
  readonly address: string;
  readonly asn: number;
}

export interface RouterTimers {
  readonly hold: number;
  readonly keepalive: number;
  readonly connectRetry: number;
  readonly connectDelay: number;
  readonly errorWait: number;
  readonly errorWaitMax: number;
}

export interface RouterConfigInput {
  readonly routerId: string;
  readonly asn: number;
  readonly peers: readonly RouterPeer[];
  readonly timers: RouterTimers;
}

/** A BIRD 2 configuration for an upstream router: import everything from the peers, ECMP into the kernel. */
export function renderRouterConfig(input: RouterConfigInput): string {
  const t = input.timers;
  const lines = [
    `router id ${input.routerId};`,
    'log stderr { info, remote, warning, error, auth, fatal, bug };',
    'protocol device {',
    '}',
    // merge paths: equal routes from several nodes become one multipath kernel route (ECMP).
    'protocol kernel kernel4 { ipv4 { import none; export all; }; merge paths on; }',
    'protocol kernel kernel6 { ipv6 { import none; export all; }; merge paths on; }',
    'template bgp nodes {',
    `  local as ${input.asn};`,
    `  hold time ${t.hold}; keepalive time ${t.keepalive}; connect retry time ${t.connectRetry}; connect delay time ${t.connectDelay}; error wait time ${t.errorWait}, ${t.errorWaitMax};`,
    '}',
  ];
  input.peers.forEach((peer, i) => {
    const family = peer.address.includes(':') ? 'ipv6' : 'ipv4';
    lines.push(
      `protocol bgp node_${i} from nodes { neighbor ${peer.address} as ${peer.asn}; ${family} { import all; export none; }; }`,
    );
  });
  return `${lines.join('\n')}\n`;
}

/** One route of the router's kernel table, reduced to what the tests compare. */
export interface RouterRoute {
  /** `198.51.100.0/24`, `198.51.100.130/32`, `2001:db8:100::1/128`. */
  readonly dst: string;
  /** The next hops (gateway addresses), sorted. */
  readonly via: readonly string[];
}

interface IpRouteJson {
  readonly dst: string;
  readonly gateway?: string;
  readonly protocol?: string;
  readonly nexthops?: readonly { readonly gateway?: string }[];
}

export interface LabRouter {
  readonly configPath: string;
  readonly socketPath: string;
  /** Starts the daemon (again); resolves once its control socket answers. */
  start(): Promise<void>;
  /** SIGTERM and wait (the nodes see the sessions close). */
  stop(): Promise<void>;
  /** The BGP routes of the router's kernel (`ip -json route`, both families, `proto bird`). */
  routes(): Promise<RouterRoute[]>;
  /** `birdc show route` (with `all`: every attribute) as text. */
  showRoute(detail?: 'all'): Promise<string>;
  /** `birdc show protocols` as text. */
  showProtocols(): Promise<string>;
}

const withPrefix = (dst: string): string => (dst.includes('/') ? dst : `${dst}/${dst.includes(':') ? 128 : 32}`);

export function createLabRouter(lab: Lab, options: { readonly dir: string; readonly config: string }): LabRouter {
  const router = lab.router;
  if (router === undefined) throw new Error('the lab has no router (createLab({ router: true }))');
  mkdirSync(options.dir, { recursive: true });
  const configPath = join(options.dir, 'router.conf');
  const socketPath = join(options.dir, 'router.ctl');
  writeFileSync(configPath, options.config);
  let child: ChildProcess | undefined;
  const birdc = async (...args: string[]): Promise<{ ok: boolean; out: string }> => {
    const r = await lab.exec(router, ['birdc', '-s', socketPath, ...args]);
    return { ok: r.code === 0, out: r.stdout };
  };
  const routesOf = async (host: LabHost, family: '-4' | '-6'): Promise<RouterRoute[]> => {
    const r = await lab.exec(host, ['ip', family, '-json', 'route', 'show', 'proto', 'bird']);
    const list = JSON.parse(r.stdout === '' ? '[]' : r.stdout) as IpRouteJson[];
    return list.map((e) => ({
      dst: withPrefix(e.dst),
      via: (e.nexthops?.map((h) => h.gateway ?? '') ?? [e.gateway ?? '']).sort(),
    }));
  };
  return {
    configPath,
    socketPath,
    start: async () => {
      const proc = lab.spawnIn(router, ['bird', '-f', '-c', configPath, '-s', socketPath], {
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      child = proc;
      const started = performance.now();
      while (!(await birdc('show', 'status')).ok) {
        if (proc.exitCode !== null || performance.now() - started > 10_000)
          throw new Error('the lab router did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: async () => {
      const proc = child;
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await gone;
    },
    routes: async () =>
      [...(await routesOf(router, '-4')), ...(await routesOf(router, '-6'))].sort((a, b) => a.dst.localeCompare(b.dst)),
    showRoute: async (detail) => (await birdc('show', 'route', ...(detail === undefined ? [] : [detail]))).out,
    showProtocols: async () => (await birdc('show', 'protocols')).out,
  };
}
