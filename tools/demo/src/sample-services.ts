// The Services the demo creates: one per allocation feature worth seeing.
import type { IpFamily, IpFamilyPolicy, ServiceManifest, ServicePortSpec } from './service-shapes.ts';

export const DEMO_LABEL = 'app.kubernetes.io/part-of';
export const DEMO_LABEL_VALUE = 'purelb-demo';

/** The address the `specific-address` sample asks for; it lies in the `default` group's IPv4 pool. */
export const SPECIFIC_ADDRESS = '192.0.2.250';
/** The sharing key of `shared-web` and `shared-dns`. */
export const SHARING_KEY = 'demo-shared';

interface Sample {
  readonly name: string;
  readonly policy: IpFamilyPolicy;
  readonly families?: readonly IpFamily[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePortSpec[];
}

const tcp = (port: number, name = `tcp-${port}`): ServicePortSpec => ({ name, port, protocol: 'TCP' });
const udp = (port: number, name = `udp-${port}`): ServicePortSpec => ({ name, port, protocol: 'UDP' });

const samples: readonly Sample[] = [
  { name: 'ipv4-single', policy: 'SingleStack', families: ['IPv4'], ports: [tcp(80)] },
  { name: 'ipv6-single', policy: 'SingleStack', families: ['IPv6'], ports: [tcp(80)] },
  { name: 'dual-require', policy: 'RequireDualStack', families: ['IPv4', 'IPv6'], ports: [tcp(443)] },
  { name: 'dual-prefer', policy: 'PreferDualStack', ports: [tcp(8080)] },
  {
    name: 'specific-address',
    policy: 'SingleStack',
    families: ['IPv4'],
    annotations: { 'purelb.io/addresses': SPECIFIC_ADDRESS },
    ports: [tcp(80)],
  },
  {
    name: 'virtual-web',
    policy: 'SingleStack',
    families: ['IPv4'],
    annotations: { 'purelb.io/service-group': 'virtual' },
    ports: [tcp(80)],
  },
  {
    name: 'shared-web',
    policy: 'SingleStack',
    families: ['IPv4'],
    annotations: { 'purelb.io/allow-shared-ip': SHARING_KEY },
    ports: [tcp(80), tcp(443)],
  },
  {
    name: 'shared-dns',
    policy: 'SingleStack',
    families: ['IPv4'],
    annotations: { 'purelb.io/allow-shared-ip': SHARING_KEY },
    ports: [udp(53), tcp(53)],
  },
];

/** Returns the sample Services for `namespace`, in the order the demo creates them. */
export function sampleServices(namespace: string): ServiceManifest[] {
  return samples.map((s) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: s.name,
      namespace,
      labels: { [DEMO_LABEL]: DEMO_LABEL_VALUE },
      ...(s.annotations === undefined ? {} : { annotations: { ...s.annotations } }),
    },
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: false,
      ipFamilyPolicy: s.policy,
      ...(s.families === undefined ? {} : { ipFamilies: s.families }),
      selector: { app: s.name },
      ports: s.ports,
    },
  }));
}
