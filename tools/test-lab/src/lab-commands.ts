// A plan as `ip -batch` scripts, in the order they must run. Pure: `createLab` runs them.
import type { LabHost, LabPlan } from './lab-plan.ts';

/** One `ip` invocation: `ip [-n <namespace>] -batch -` fed `lines`. */
export interface IpBatch {
  /** The namespace the commands act in; `undefined` for the root namespace (`netns add`, `netns exec`). */
  readonly namespace: string | undefined;
  readonly lines: readonly string[];
}

/** Batches that may run at the same time; the stages run one after another. */
export type LabStage = readonly IpBatch[];

function procWrites(writes: readonly (readonly [string, string])[]): string {
  // `ip -batch` splits on spaces but keeps a double-quoted argument whole.
  return `"${writes.map(([key, value]) => `echo ${value} > /proc/sys/net/${key}`).join('; ')}"`;
}

function sysctlLines(plan: LabPlan): string[] {
  const noDad: [string, string][] = [
    ['ipv6/conf/all/accept_dad', '0'],
    ['ipv6/conf/default/accept_dad', '0'],
  ];
  const lines = [
    // The switch is a plain L2 device: no addresses, no IPv6 chatter of its own.
    `netns exec ${plan.switchNamespace} sh -c ${procWrites([
      ['ipv6/conf/all/disable_ipv6', '1'],
      ['ipv6/conf/default/disable_ipv6', '1'],
    ])}`,
  ];
  for (const host of plan.hosts) {
    const forwarding: [string, string][] = host.forwarding
      ? [
          ['ipv4/ip_forward', '1'],
          ['ipv6/conf/all/forwarding', '1'],
        ]
      : [];
    lines.push(`netns exec ${host.namespace} sh -c ${procWrites([...noDad, ...forwarding])}`);
  }
  return lines;
}

function switchLines(plan: LabPlan): string[] {
  const lines: string[] = [];
  for (const segment of plan.segments) {
    lines.push(`link add ${segment.bridge} type bridge stp_state 0 forward_delay 0 mcast_snooping 0`);
    lines.push(`link set ${segment.bridge} up`);
  }
  for (const host of plan.hosts) {
    for (const iface of host.interfaces) {
      const bridge = plan.segments.find((s) => s.name === iface.segment)?.bridge;
      if (bridge === undefined) throw new Error(`segment ${iface.segment} of ${host.name} is not in the plan`);
      // Both ends are born where they live: nothing passes through the root namespace.
      lines.push(
        `link add ${iface.bridgePort} type veth peer name ${iface.name} address ${iface.mac} netns ${host.namespace}`,
      );
      lines.push(`link set ${iface.bridgePort} master ${bridge} up`);
    }
  }
  return lines;
}

function hostLines(host: LabHost): string[] {
  const lines = ['link set lo up'];
  for (const iface of host.interfaces) {
    lines.push(`link set ${iface.name} up`);
    lines.push(`address add ${iface.ipv4Cidr} dev ${iface.name}`);
    lines.push(`address add ${iface.ipv6Cidr} dev ${iface.name} nodad`);
  }
  if (host.defaultVia !== undefined) {
    lines.push(`route add 0.0.0.0/0 via ${host.defaultVia.ipv4}`);
    lines.push(`route add ::/0 via ${host.defaultVia.ipv6}`);
  }
  return lines;
}

/**
 * The stages that build `plan`: namespaces; their sysctls (no IPv6 DAD, forwarding on the router);
 * bridges and veth pairs from the switch namespace; then every host's addresses and routes.
 */
export function labStages(plan: LabPlan): readonly LabStage[] {
  return [
    [{ namespace: undefined, lines: plan.namespaces.map((ns) => `netns add ${ns}`) }],
    [{ namespace: undefined, lines: sysctlLines(plan) }],
    [{ namespace: plan.switchNamespace, lines: switchLines(plan) }],
    plan.hosts.map((host) => ({ namespace: host.namespace, lines: hostLines(host) })),
  ];
}
