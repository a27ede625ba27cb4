// The router ID of this node from the configured source and what the sidecar knows of the host: its
// IPv4 address (`--host-ip`) and its interfaces' addresses. Pure; the caller reads the host.
import type { RouterIdSource, RoutingProblem } from './routing-config.ts';

export interface HostAddresses {
  /** The node's IP as the Downward API gives it (`status.hostIP`), if known. */
  readonly hostIp: string | undefined;
  /** Interface name → its addresses (`os.networkInterfaces()` shape, reduced). */
  readonly interfaces: Readonly<
    Record<string, readonly { readonly address: string; readonly family: 'IPv4' | 'IPv6' }[]>
  >;
}

export type ResolveRouterIdResult =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: RoutingProblem };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function resolveRouterId(source: RouterIdSource, host: HostAddresses): ResolveRouterIdResult {
  switch (source.kind) {
    case 'host-ip': {
      if (host.hostIp !== undefined && IPV4.test(host.hostIp)) return { ok: true, value: host.hostIp };
      const have =
        host.hostIp === undefined
          ? 'no host IP was given (--host-ip, HOST_IP)'
          : `the host IP ${host.hostIp} is not IPv4`;
      return {
        ok: false,
        error: {
          code: 'InvalidRouterId',
          path: 'routerID',
          message: `hostIP cannot give a router ID: ${have}; use interface:NAME`,
        },
      };
    }
    case 'interface': {
      const found = host.interfaces[source.name]?.find((a) => a.family === 'IPv4');
      if (found !== undefined) return { ok: true, value: found.address };
      return {
        ok: false,
        error: {
          code: 'InvalidRouterId',
          path: 'routerID',
          message: `interface ${source.name} has no IPv4 address to take the router ID from`,
        },
      };
    }
  }
}
