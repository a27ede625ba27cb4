// A fixed table of elections, computed independently of this code (`printf '%s' 'node-a#192.0.2.7' |
// sha256sum`) and documented in the README: a change of the hash input, the canonical form or the
// comparison breaks it. Every node is live with the subnets 0.0.0.0/0 and ::/0.
import { describe, expect, it } from 'vitest';
import { electWinner } from './elect-winner.ts';

const ABC = ['node-a', 'node-b', 'node-c'];
const W5 = ['worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5'];

/** nodes, address as written, canonical address, order (winner first), first 16 hex digits of the winner's digest */
const GOLDEN: readonly (readonly [readonly string[], string, string, string, string])[] = [
  [ABC, '192.0.2.1', '192.0.2.1', 'node-c node-a node-b', '22e614dd15c80d92'],
  [ABC, '192.0.2.7', '192.0.2.7', 'node-a node-b node-c', '074b43383ad01ed1'],
  [ABC, '192.0.2.100', '192.0.2.100', 'node-b node-a node-c', '202e98120fe7f233'],
  [ABC, '192.0.2.255', '192.0.2.255', 'node-c node-b node-a', '0e77fe37c8920c9e'],
  [ABC, '198.51.100.10', '198.51.100.10', 'node-a node-b node-c', '17cc5af78a8b2b3b'],
  [ABC, '2001:DB8:0:0::0:1', '2001:db8::1', 'node-b node-a node-c', '1aee61dde2bd8a0c'],
  [ABC, '2001:db8::7', '2001:db8::7', 'node-c node-b node-a', '0a6107b09066278c'],
  [ABC, '2001:0db8:0000:0000:0000:0000:000a:0001', '2001:db8::a:1', 'node-a node-c node-b', '09cb5be6aede3fe7'],
  [ABC, '2001:db8:0:1::1', '2001:db8:0:1::1', 'node-a node-b node-c', '8ad52ea81b2a8cb5'],
  [ABC, '::FFFF:192.0.2.7', '::ffff:192.0.2.7', 'node-c node-a node-b', '416f18e158ce8fec'],
  [W5, '192.0.2.1', '192.0.2.1', 'worker-5 worker-4 worker-1 worker-2 worker-3', '1a7cfb4a011dae86'],
  [W5, '192.0.2.7', '192.0.2.7', 'worker-4 worker-1 worker-3 worker-2 worker-5', '296fc655bec1d107'],
  [W5, '192.0.2.100', '192.0.2.100', 'worker-5 worker-4 worker-1 worker-2 worker-3', '2358482093b62816'],
  [W5, '192.0.2.255', '192.0.2.255', 'worker-1 worker-5 worker-3 worker-4 worker-2', '16797d34375448d8'],
  [W5, '198.51.100.10', '198.51.100.10', 'worker-1 worker-5 worker-3 worker-4 worker-2', '0279e5a2d58da8ce'],
  [W5, '2001:db8::1', '2001:db8::1', 'worker-5 worker-2 worker-4 worker-1 worker-3', '25c1bd1b2e34fdf4'],
  [W5, '2001:db8::7', '2001:db8::7', 'worker-3 worker-5 worker-2 worker-4 worker-1', '8a2a5c9e859d15ea'],
  [W5, '2001:db8::a:1', '2001:db8::a:1', 'worker-3 worker-1 worker-5 worker-2 worker-4', '44ace9c69f3c1b24'],
  [W5, '2001:db8:0:1::1', '2001:db8:0:1::1', 'worker-3 worker-5 worker-1 worker-4 worker-2', '2ce55645df8063c4'],
  [W5, '::ffff:192.0.2.7', '::ffff:192.0.2.7', 'worker-1 worker-2 worker-5 worker-4 worker-3', '268bc57cccdf2fe1'],
];

describe('golden elections', () => {
  it.each(GOLDEN.map(([nodes, written, canonical, order, digest]) => ({ nodes, written, canonical, order, digest })))(
    '$written among $nodes',
    ({ nodes, written, canonical, order, digest }) => {
      const candidates = nodes.map((name) => ({ name, subnets: ['0.0.0.0/0', '::/0'], live: true }));
      const r = electWinner({ address: written, candidates });
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.address).toBe(canonical);
      expect(r.value.ranking.map((c) => c.node).join(' ')).toBe(order);
      expect(r.value.winner).toBe(order.split(' ')[0]);
      expect(r.value.ranking[0]?.digest.slice(0, 16)).toBe(digest);
    },
  );

  it('digests the text `node#address` with SHA-256, as sha256sum does', () => {
    const r = electWinner({
      address: '192.0.2.7',
      candidates: [{ name: 'node-a', subnets: ['192.0.2.0/24'], live: true }],
    });
    expect(r.ok && r.value.ranking[0]?.digest).toBe('074b43383ad01ed1b28b17845307e5ff66f37d9d96696701ce95399d98ce4316');
  });
});
