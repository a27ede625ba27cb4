import { describe, expect, it } from 'vitest';
import { labStages } from './lab-commands.ts';
import { planLab } from './lab-plan.ts';
import type { LabPlan } from './lab-plan.ts';

function plan(input: Parameters<typeof planLab>[0]): LabPlan {
  const result = planLab(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('labStages', () => {
  it('creates namespaces, sets sysctls, wires the switch, then configures every host in parallel', () => {
    const stages = labStages(plan({ id: 't', nodes: 2 }));
    expect(stages).toHaveLength(4);
    expect(stages[0]).toEqual([
      {
        namespace: undefined,
        lines: [
          'netns add plab-t-lan',
          'netns add plab-t-node-1',
          'netns add plab-t-node-2',
          'netns add plab-t-client',
        ],
      },
    ]);
    expect(stages[1]![0]!.lines).toEqual([
      'netns exec plab-t-lan sh -c "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6"',
      'netns exec plab-t-node-1 sh -c "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"',
      'netns exec plab-t-node-2 sh -c "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"',
      'netns exec plab-t-client sh -c "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"',
    ]);
    expect(stages[2]).toEqual([
      {
        namespace: 'plab-t-lan',
        lines: [
          'link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0',
          'link set br0 up',
          'link add n1-eth0 type veth peer name eth0 address 02:00:01:00:00:0b netns plab-t-node-1',
          'link set n1-eth0 master br0 up',
          'link add n2-eth0 type veth peer name eth0 address 02:00:01:00:00:0c netns plab-t-node-2',
          'link set n2-eth0 master br0 up',
          'link add c-eth0 type veth peer name eth0 address 02:00:01:00:00:c8 netns plab-t-client',
          'link set c-eth0 master br0 up',
        ],
      },
    ]);
    expect(stages[3]!.map((b) => b.namespace)).toEqual(['plab-t-node-1', 'plab-t-node-2', 'plab-t-client']);
    expect(stages[3]![0]!.lines).toEqual([
      'link set lo up',
      'link set eth0 up',
      'address add 192.0.2.11/24 dev eth0',
      'address add 2001:db8:1::11/64 dev eth0 nodad',
    ]);
  });

  it('turns forwarding on in the router and gives the others default routes through it', () => {
    const lab = plan({ id: 'r', nodes: 1, router: true });
    const stages = labStages(lab);
    expect(stages[1]![0]!.lines.find((l) => l.includes('plab-r-router'))).toBe(
      'netns exec plab-r-router sh -c "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; ' +
        'echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad; echo 1 > /proc/sys/net/ipv4/ip_forward; ' +
        'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding"',
    );
    const node = stages[3]!.find((b) => b.namespace === 'plab-r-node-1')!;
    expect(node.lines.slice(-2)).toEqual(['route add 0.0.0.0/0 via 192.0.2.1', 'route add ::/0 via 2001:db8:1::1']);
    const router = stages[3]!.find((b) => b.namespace === 'plab-r-router')!;
    expect(router.lines.some((l) => l.startsWith('route '))).toBe(false);
    expect(stages[2]![0]!.lines).toContain('link set rc-eth0 master br2 up');
  });
});
