// The contract's world on the real kernel: a fresh network namespace, the driver in a child process
// inside it, and `ip` for changes behind the driver's back.
import type { ContractWorld } from './driver-contract.fixture.ts';
import { createNamespace, kernelTestsUnavailable } from './netns.fixture.ts';
import type { Namespace } from './netns.fixture.ts';
import { startRemoteDriver } from './remote-driver.fixture.ts';
import type { RemoteDriver } from './remote-driver.fixture.ts';

/** Throws one plain message when kernel tests cannot run here (never a silent skip). */
export function requireKernelTests(): void {
  const why = kernelTestsUnavailable();
  if (why !== undefined) throw new Error(why);
}

export async function createNamespaceWorld(): Promise<ContractWorld & { readonly ns: Namespace }> {
  requireKernelTests();
  const ns = createNamespace();
  const remotes: RemoteDriver[] = [];
  const start = async (withoutNetAdmin = false): Promise<RemoteDriver> => {
    const remote = await startRemoteDriver({ namespace: ns.name, withoutNetAdmin });
    remotes.push(remote);
    return remote;
  };
  try {
    let current = await start();
    return {
      ns,
      get driver() {
        return current.driver;
      },
      outside: {
        addBridge: (name) => {
          ns.ip('link', 'add', name, 'type', 'bridge');
          ns.ip('link', 'set', name, 'up');
          return Promise.resolve();
        },
        removeLink: (name) => Promise.resolve(void ns.ip('link', 'del', name)),
        addAddress: (link, cidr) =>
          Promise.resolve(void ns.ip('addr', 'add', cidr, 'dev', link, ...(cidr.includes(':') ? ['nodad'] : []))),
        removeAddress: (link, cidr) => Promise.resolve(void ns.ip('addr', 'del', cidr, 'dev', link)),
        addDefaultRoute: (r) =>
          Promise.resolve(
            void ns.ip(
              r.family === 'IPv4' ? '-4' : '-6',
              'route',
              'add',
              'default',
              'via',
              r.gateway,
              'dev',
              r.link,
              'metric',
              String(r.metric),
            ),
          ),
      },
      async restart() {
        await current.kill('SIGKILL');
        current = await start();
        return current.driver;
      },
      readOnly: async () => (await start(true)).driver,
      async dispose() {
        for (const r of remotes) await r.kill('SIGKILL');
        ns.remove();
      },
    };
  } catch (error) {
    for (const r of remotes) await r.kill('SIGKILL');
    ns.remove();
    throw error;
  }
}
