// The NodeNetwork port on the real kernel, through @purelb/netlink-driver (rtnetlink in this
// process's network namespace; addresses marked with the driver's IFA_PROTO value).
import { createNetlinkDriver } from '@purelb/netlink-driver';
import type { DriverError, LinkKind, NetlinkDriver } from '@purelb/netlink-driver';
import type { NetworkFailure, NetworkFailureCode, NetworkResult, NetworkView, NodeNetwork } from './node-network.ts';

/** Link kinds the virtual interface can be created with. */
export const LINK_KINDS: readonly LinkKind[] = ['dummy', 'ifb', 'bridge'];

function codeOf(error: DriverError): NetworkFailureCode {
  switch (error.code) {
    case 'EPERM':
    case 'EACCES':
      return 'PermissionDenied';
    case 'ENODEV':
      return 'NoSuchInterface';
    case 'EEXIST':
      return 'Exists';
    case 'EOPNOTSUPP':
      return 'Unsupported';
    case 'ENOENT':
    case 'EBUSY':
    case 'EINVAL':
    case 'ERANGE':
    case 'EADDRNOTAVAIL':
    case 'ENOBUFS':
    case 'ENOMEM':
    case 'ETIMEDOUT':
    case 'Closed':
    case 'AnnounceFailed':
    case 'Unknown':
      return 'KernelError';
  }
}

const failure = (error: DriverError): { readonly ok: false; readonly error: NetworkFailure } => ({
  ok: false,
  error: { code: codeOf(error), message: `${error.op}: ${error.message}` },
});
const done: NetworkResult = { ok: true, value: undefined };

export function kernelNetwork(driver: NetlinkDriver = createNetlinkDriver()): NodeNetwork {
  return {
    async read() {
      const [links, addresses, v4, v6] = await Promise.all([
        driver.listLinks(),
        driver.listAddresses(),
        driver.defaultRoutes('IPv4'),
        driver.defaultRoutes('IPv6'),
      ]);
      if (!links.ok) return failure(links.error);
      if (!addresses.ok) return failure(addresses.error);
      if (!v4.ok) return failure(v4.error);
      if (!v6.ok) return failure(v6.error);
      const view: NetworkView = {
        links: links.value.map((l) => ({ index: l.index, name: l.name, up: l.adminUp })),
        addresses: addresses.value
          .filter((a) => !a.flags.dadFailed)
          .map((a) => ({
            interface: a.link,
            family: a.family,
            address: a.address,
            prefixLength: a.prefixLength,
            ours: a.owned,
          })),
        defaultRoutes: { IPv4: v4.value.map((r) => r.link), IPv6: v6.value.map((r) => r.link) },
      };
      return { ok: true, value: view };
    },
    async addAddress(spec) {
      const r = await driver.addAddress({
        link: spec.interface,
        address: spec.address,
        prefixLength: spec.prefixLength,
        noPrefixRoute: spec.local,
        noDad: spec.local && spec.family === 'IPv6',
      });
      return r.ok ? done : failure(r.error);
    },
    async removeAddress(spec) {
      const r = await driver.deleteAddress({
        link: spec.interface,
        address: spec.address,
        prefixLength: spec.prefixLength,
      });
      return r.ok ? done : failure(r.error);
    },
    async ensureLink(name, kind) {
      const linkKind = LINK_KINDS.find((k) => k === kind);
      if (linkKind === undefined)
        return {
          ok: false,
          error: {
            code: 'Unsupported',
            message: `links of kind ${kind} cannot be created (use ${LINK_KINDS.join(', ')})`,
          },
        };
      const r = await driver.ensureLink({ name, kind: linkKind });
      return r.ok ? done : failure(r.error);
    },
    async announce(spec) {
      const r = await driver.announce({ link: spec.interface, address: spec.address });
      return r.ok ? done : failure(r.error);
    },
    watch(onChange) {
      const sub = driver.changes().subscribe({
        next: () => {
          onChange();
        },
      });
      return () => {
        sub.unsubscribe();
      };
    },
    close() {
      driver.close();
      return Promise.resolve();
    },
  };
}
