// The root part of the demo: PureLB on real network namespaces. First a lab of node namespaces with a
// node agent each and a client namespace (`@purelb/node-lab`): which node announces each Service, and
// a TCP connect from the client that the announcing node answers; with --failover, the winner's agent
// is stopped and the new announcer is timed. Then the routing lab (`@purelb/routing-sidecar/testing`):
// a virtual Service reached from a remote client through the BGP router, and the router's table.
import { performance } from 'node:perf_hooks';
import { createLabService, startAgentLab, waitForIngress } from '@purelb/node-lab';
import type { AgentLab } from '@purelb/node-lab';
import { startRoutingLab } from '@purelb/routing-sidecar/testing';
import { waitFor } from '@purelb/test-control-plane';

export interface LabDemoOptions {
  readonly kubeconfigPath: string;
  readonly failover: boolean;
  readonly out: (text: string) => void;
  readonly note: (text: string) => void;
  readonly logDir: string;
}

/** A Service of the lab part: its name and the families it asks for. */
const LAB_SERVICES = [
  { name: 'web-ipv4', families: ['IPv4'] },
  { name: 'web-ipv6', families: ['IPv6'] },
  { name: 'web-dual', families: ['IPv4', 'IPv6'] },
] as const;

const ANNOUNCING = { IPv4: 'purelb.io/announcing-IPv4', IPv6: 'purelb.io/announcing-IPv6' } as const;

export interface AnnouncedRow {
  readonly service: string;
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  /** `node,interface` as the agent wrote it. */
  readonly announcer: string;
}

async function announcement(lab: AgentLab, service: string, family: 'IPv4' | 'IPv6'): Promise<string | undefined> {
  const r = await lab.api.get(`/api/v1/namespaces/${lab.ns}/services/${service}`);
  const annotations = (r.body as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations;
  return annotations?.[ANNOUNCING[family]];
}

const familyOf = (address: string): 'IPv4' | 'IPv6' => (address.includes(':') ? 'IPv6' : 'IPv4');
const nodeOf = (announcer: string): string => announcer.split(',')[0] ?? announcer;

/** The announcer table: one line per address. */
export function formatAnnouncerTable(rows: readonly (AnnouncedRow & { readonly reached: string })[]): string {
  const header = ['SERVICE', 'ADDRESS', 'ANNOUNCED BY (node,interface)', 'CLIENT TCP CONNECT :8080'];
  const lines = rows.map((r) => [r.service, r.address, r.announcer, r.reached]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  return [header, ...lines]
    .map((cols) =>
      cols
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const reachedText = (answer: string | undefined, expected: string): string =>
  answer === undefined ? 'no answer' : answer === expected ? `answered by ${answer}` : `answered by ${answer} (!)`;

/** Runs the node lab part; true when every address was announced and reached from the client. */
async function nodeLabPart(options: LabDemoOptions): Promise<boolean> {
  const { note, out } = options;
  note('Building the node lab: 3 node namespaces with a node agent each, a client namespace, an allocator…');
  const lab = await startAgentLab({
    kubeconfigPath: options.kubeconfigPath,
    nodes: 3,
    logDir: options.logDir,
    logLevel: 'info',
  });
  let ok = true;
  try {
    note(`Node lab ready: ${lab.lab.nodes.map((n) => n.name).join(', ')}; client ${lab.lab.client.name}.`);
    const rows: (AnnouncedRow & { reached: string })[] = [];
    for (const s of LAB_SERVICES) await createLabService(lab, s.name, { families: s.families });
    for (const s of LAB_SERVICES) {
      const addresses = await waitForIngress(lab, s.name, s.families.length);
      for (const address of addresses) {
        const family = familyOf(address);
        const announcer = await waitFor(`an agent to announce ${address}`, () => announcement(lab, s.name, family));
        const answer = await lab.connect(address);
        if (answer !== nodeOf(announcer)) ok = false;
        rows.push({
          service: `${lab.ns}/${s.name}`,
          address,
          family,
          announcer,
          reached: reachedText(answer, nodeOf(announcer)),
        });
      }
    }
    out(`\nLocal addresses, announced on the nodes' LAN (192.0.2.0/24, 2001:db8:1::/64):\n\n`);
    out(`${formatAnnouncerTable(rows)}\n`);

    if (options.failover) {
      const first = rows[0];
      if (first !== undefined) {
        const winner = nodeOf(first.announcer);
        const agent = lab.agents.get(winner);
        out(`\nFailover: stopping the agent of ${winner} (SIGTERM), the announcer of ${first.address}…\n`);
        const started = performance.now();
        await agent?.stop('SIGTERM', 5_000);
        const next = await waitFor(`another node to announce ${first.address}`, async () => {
          const a = await announcement(lab, LAB_SERVICES[0].name, first.family);
          return a !== undefined && nodeOf(a) !== winner ? a : undefined;
        });
        const announcedMs = performance.now() - started;
        const answer = await waitFor(`the new announcer to answer on ${first.address}`, async () => {
          const a = await lab.connect(first.address);
          return a !== undefined && a !== winner ? a : undefined;
        });
        const reachedMs = performance.now() - started;
        out(
          `  ${first.address} now announced by ${next} after ${(announcedMs / 1000).toFixed(2)} s; ` +
            `client TCP connect answered by ${answer} after ${(reachedMs / 1000).toFixed(2)} s.\n`,
        );
        if (answer !== nodeOf(next)) ok = false;
      }
    }
    for (const s of LAB_SERVICES) await lab.api.delete(`/api/v1/namespaces/${lab.ns}/services/${s.name}`);
  } finally {
    note('Tearing the node lab down…');
    await lab.close();
  }
  return ok;
}

/** Runs the routing lab part; true when the remote client reached the virtual address. */
async function routingLabPart(options: LabDemoOptions): Promise<boolean> {
  const { note, out } = options;
  note('Building the routing lab: 3 nodes with agents and routing sidecars (BIRD), a BGP router, a remote client…');
  const lab = await startRoutingLab({ kubeconfigPath: options.kubeconfigPath, nodes: 3, logDir: options.logDir });
  try {
    const [address = ''] = await lab.createService('virtual-web', { group: 'host' });
    const via = await lab.waitForRoute(
      `${address}/32`,
      (v) => v.length === lab.lab.nodes.length,
      'ECMP over the nodes',
    );
    const answer = await lab.connectFromRemote(address);
    out(
      `\nA virtual address, routed: ${lab.ns}/virtual-web got ${address}; the router learned it over BGP from ${via.length} nodes.\n`,
    );
    const nodeAt = new Map(lab.lab.nodes.map((n) => [lab.nextHop(n), n.name]));
    out(`Next hops: ${via.map((hop) => `${hop} (${nodeAt.get(hop) ?? '?'})`).join(', ')}.\n`);
    out(`\nThe router's table (birdc show route):\n\n${(await lab.router.showRoute()).trimEnd()}\n`);
    out(
      `\nRemote client (behind the router) TCP connect ${address}:8080: ${answer === undefined ? 'no answer' : `answered by ${answer}`}\n`,
    );
    await lab.deleteService('virtual-web');
    return answer !== undefined;
  } finally {
    note('Tearing the routing lab down…');
    await lab.close();
  }
}

/** The whole root part; true when everything was announced and reached. */
export async function runLabDemo(options: LabDemoOptions): Promise<boolean> {
  options.out(
    'Running as root: PureLB on network namespaces (node namespaces with a real node agent each, a client, a BGP router).\n',
  );
  const local = await nodeLabPart(options);
  const routed = await routingLabPart(options);
  return local && routed;
}
