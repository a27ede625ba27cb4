// npm run lab -- up|status|down: a lab from a shell, e.g. to try an agent by hand.
//   up      build a lab that outlives this command (no exit cleanup) and describe it
//   status  list the labs on this machine and stray plab-* namespaces
//   down    destroy every lab (or --id ID) and delete stray plab-* namespaces: the manual cleanup
import { USAGE, parseCli } from './cli-options.ts';
import type { CliCommand } from './cli-options.ts';
import { createLab } from './create-lab.ts';
import { destroyLabs, listLabs } from './lab-directory.ts';
import type { LabHost } from './lab-plan.ts';

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function describeHost(host: LabHost): string {
  const ifaces = host.interfaces.map((i) => `${i.name} ${i.ipv4} ${i.ipv6} ${i.mac}`).join('; ');
  return `${host.namespace.padEnd(24)} ${ifaces}`;
}

async function serverOf(kubeconfig: string): Promise<string> {
  // Loaded only when asked for: status and down stay quick.
  const { loadKubeConfig } = await import('@purelb/test-control-plane');
  const server = loadKubeConfig(kubeconfig).getCurrentCluster()?.server;
  if (server === undefined) throw new Error(`kubeconfig ${kubeconfig} names no current cluster`);
  return server;
}

async function up(command: Extract<CliCommand, { kind: 'up' }>): Promise<number> {
  const apiServer = command.kubeconfig === undefined ? command.apiServer : await serverOf(command.kubeconfig);
  const lab = await createLab({
    nodes: command.nodes,
    secondLan: command.secondLan,
    secondLanOnly: command.secondLanOnly,
    router: command.router,
    cleanUpOnExit: false,
    ...(apiServer === undefined ? {} : { apiServer }),
    ...(command.id === undefined ? {} : { id: command.id }),
  });
  console.log(`lab ${lab.id} (directory ${lab.dir})`);
  for (const host of lab.hosts) console.log(describeHost(host));
  if (lab.apiServer !== undefined) {
    console.log(`API server relayed to ${lab.apiServer.host}:${lab.apiServer.port} in every node namespace`);
  }
  const first = lab.nodes[0];
  if (first !== undefined) console.log(`try: ip netns exec ${first.namespace} ping -c1 ${lab.client.ipv4}`);
  console.log(`remove with: npm run lab -- down --id ${lab.id}`);
  return 0;
}

function status(): number {
  const listing = listLabs();
  if (listing.labs.length === 0 && listing.strayNamespaces.length === 0) {
    console.log('no lab');
    return 0;
  }
  for (const lab of listing.labs) {
    const owner =
      lab.ownerPid === 0 ? 'kept until down' : `owner PID ${lab.ownerPid}${lab.ownerAlive ? '' : ' (gone)'}`;
    console.log(
      `lab ${lab.id}: ${lab.namespaces.length} namespaces, ${owner}, processes ${lab.processes.join(' ') || 'none'}`,
    );
    for (const ns of lab.namespaces) console.log(`  ${ns}`);
  }
  if (listing.strayNamespaces.length > 0) console.log(`stray: ${listing.strayNamespaces.join(' ')}`);
  return 0;
}

function down(id: string | undefined): number {
  const removed = destroyLabs(id === undefined ? {} : { id });
  const namespaces = removed.labs.reduce((n, lab) => n + lab.namespaces.length, 0) + removed.strayNamespaces.length;
  say(`removed ${removed.labs.length} labs, ${namespaces} namespaces`);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCli(argv);
  if (!parsed.ok) {
    say(`${parsed.error.message}\n${USAGE}`);
    return 2;
  }
  const command = parsed.value;
  switch (command.kind) {
    case 'up':
      return up(command);
    case 'status':
      return status();
    case 'down':
      return down(command.id);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    say(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
