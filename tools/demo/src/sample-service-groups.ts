// The ServiceGroups the demo installs: `default` (both families, shaped like the spec's
// `localaddrange`) and `virtual` (a second group that Services pick by annotation). Every address is
// in a documentation range.
import { DEFAULT_SERVICE_GROUP } from '@purelb/ipam-core';

/** A ServiceGroup as sent to the API server (group `purelb.io`, version `v1`). */
export interface ServiceGroupObject {
  readonly apiVersion: 'purelb.io/v1';
  readonly kind: 'ServiceGroup';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly local: {
      readonly v4pools?: readonly PoolSpec[];
      readonly v6pools?: readonly PoolSpec[];
    };
  };
}

export interface PoolSpec {
  readonly pool: string;
  readonly subnet: string;
  readonly aggregation: string;
}

/** Returns the sample groups for the given install namespace, `default` first. */
export function sampleServiceGroups(installNamespace: string): readonly ServiceGroupObject[] {
  const group = (name: string, local: ServiceGroupObject['spec']['local']): ServiceGroupObject => ({
    apiVersion: 'purelb.io/v1',
    kind: 'ServiceGroup',
    metadata: { name, namespace: installNamespace },
    spec: { local },
  });
  return [
    group(DEFAULT_SERVICE_GROUP, {
      v4pools: [{ pool: '192.0.2.240-192.0.2.250', subnet: '192.0.2.0/24', aggregation: 'default' }],
      v6pools: [{ pool: '2001:db8:0:8100::4/64', subnet: '2001:db8:0:8100::/64', aggregation: 'default' }],
    }),
    group('virtual', {
      v4pools: [{ pool: '198.51.100.16/28', subnet: '198.51.100.0/24', aggregation: '/32' }],
      v6pools: [{ pool: '2001:db8:1::10-2001:db8:1::1f', subnet: '2001:db8:1::/64', aggregation: '/128' }],
    }),
  ];
}
