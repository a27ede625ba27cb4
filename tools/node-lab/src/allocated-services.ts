// Services of our class that already show their addresses, written as the allocator leaves them,
// with an EndpointSlice each when asked: the load of the node agent's benchmarks, without an
// allocator in the way (the lab's pools are small; these addresses come from the caller).
import { expectOk } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';

export interface AllocatedService {
  readonly name: string;
  /** The allocated addresses, at most one per family; ingress order. */
  readonly addresses: readonly string[];
  /** Nodes with one ready endpoint each, in an EndpointSlice of the Service; none: no slice. */
  readonly endpointsOn?: readonly string[];
}

export interface CreateAllocatedOptions {
  /** Requests in flight (default 16). */
  readonly inFlight?: number;
  /** Called after each Service is written whole. */
  readonly onCreated?: (name: string) => void;
}

const family = (address: string): 'IPv4' | 'IPv6' => (address.includes(':') ? 'IPv6' : 'IPv4');

/** The Service as a client creates it: a selector, a port, no node ports, the families of its addresses. */
function serviceBody(ns: string, item: AllocatedService): object {
  const families = item.addresses.map(family);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: item.name,
      namespace: ns,
      labels: { app: item.name },
      annotations: {
        'purelb.io/allocated-by': 'PureLB',
        'purelb.io/allocated-from': 'default',
        'purelb.io/pool-type': 'local',
      },
    },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: 'purelb.io/purelb',
      selector: { app: item.name },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }],
      allocateLoadBalancerNodePorts: false,
      ipFamilies: families,
      ipFamilyPolicy: families.length > 1 ? 'RequireDualStack' : 'SingleStack',
    },
  };
}

/** An EndpointSlice as the EndpointSlice controller writes it: one ready Pod on each node. */
function sliceBody(ns: string, item: AllocatedService, nodes: readonly string[]): object {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${item.name}-abcde`,
      namespace: ns,
      labels: {
        'kubernetes.io/service-name': item.name,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    endpoints: nodes.map((node, i) => ({
      addresses: [`10.244.${i}.${(item.name.length * 7 + i) % 250}`],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: node,
      targetRef: {
        kind: 'Pod',
        namespace: ns,
        name: `${item.name}-${node}`,
        uid: `00000000-0000-0000-0000-00000000000${i}`,
      },
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

/** Creates the Services (then their status, then their slice), `inFlight` at a time; throws on the first failure. */
export async function createAllocatedServices(
  where: { readonly api: KubeClient; readonly ns: string },
  items: readonly AllocatedService[],
  options: CreateAllocatedOptions = {},
): Promise<void> {
  const { api, ns } = where;
  let next = 0;
  const one = async (): Promise<void> => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) {
      expectOk(await api.post(`/api/v1/namespaces/${ns}/services`, serviceBody(ns, item)), `create ${item.name}`);
      expectOk(
        await api.patch(`/api/v1/namespaces/${ns}/services/${item.name}/status`, {
          status: { loadBalancer: { ingress: item.addresses.map((ip) => ({ ip, ipMode: 'VIP' })) } },
        }),
        `ingress of ${item.name}`,
      );
      if (item.endpointsOn !== undefined && item.endpointsOn.length > 0) {
        expectOk(
          await api.post(
            `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
            sliceBody(ns, item, item.endpointsOn),
          ),
          `EndpointSlice of ${item.name}`,
        );
      }
      options.onCreated?.(item.name);
    }
  };
  await Promise.all(Array.from({ length: options.inFlight ?? 16 }, one));
}
