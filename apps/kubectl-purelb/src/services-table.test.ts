import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.ts';
import { serviceView } from './service-view.ts';
import { SERVICES_HEADER, selectServices, serviceTableRows } from './services-table.ts';
import { service } from './testing/cluster-objects.ts';

const views = [
  service('web', {
    ipFamilies: ['IPv4', 'IPv6'],
    ipFamilyPolicy: 'RequireDualStack',
    annotations: {
      'purelb.io/allocated-from': 'default',
      'purelb.io/announcing-IPv4': 'node-a,eth0',
      'purelb.io/announcing-IPv6': 'node-b, eth1',
    },
    ingress: ['192.0.2.10', '2001:DB8::0:a'],
    allocated: ['True', 'Allocated', 'Allocated 192.0.2.10, 2001:db8::a'],
    announced: ['True', 'Announcing', '192.0.2.10 on node-a eth0'],
  }),
  service('full', {
    namespace: 'other',
    allocated: ['False', 'PoolExhausted', 'no free IPv4 address left in service group "default"'],
  }),
  service('new'),
  service('internal', { type: 'ClusterIP' }),
  service('foreign', { loadBalancerClass: 'example.com/lb', ingress: ['203.0.113.1'] }),
].map(serviceView);

describe('services', () => {
  it('lists the Services PureLB handles with addresses, group, announcing nodes and reasons', () => {
    const rows = serviceTableRows(selectServices(views, { namespace: undefined, pendingOnly: false }), { wide: false });
    expect(formatTable(SERVICES_HEADER, rows).split('\n')).toEqual([
      'SERVICE      ADDRESSES                 GROUP     ANNOUNCING                 ALLOCATED               ANNOUNCED',
      'apps/new     -                         -         -                          pending                 -',
      'apps/web     192.0.2.10, 2001:db8::a   default   node-a/eth0, node-b/eth1   Allocated               Announcing',
      'other/full   -                         -         -                          PoolExhausted (False)   -',
    ]);
  });

  it('filters by namespace and to pending Services, and shows the message in -o wide', () => {
    const pending = selectServices(views, { namespace: 'other', pendingOnly: true });
    expect(serviceTableRows(pending, { wide: true })).toEqual([
      [
        'other/full',
        '-',
        '-',
        '-',
        'PoolExhausted (False)',
        '-',
        'no free IPv4 address left in service group "default"',
      ],
    ]);
    expect(selectServices(views, { namespace: undefined, pendingOnly: true }).map((v) => v.key)).toEqual([
      'apps/new',
      'other/full',
    ]);
  });
});
