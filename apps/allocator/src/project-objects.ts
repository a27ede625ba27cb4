// What the watch caches keep of each object: the fields the allocator's decisions and plans read,
// nothing else. A Service as the server sends it carries managedFields, selectors, cluster IPs,
// node ports and any annotation anyone wrote (kubectl's last-applied configuration is a copy of
// the whole object); the cache keeps our annotations, the spec fields of a request, and the status
// the planner compares and rewrites (ADR 0014).
import { projectMetadata } from '@purelb/k8s-watch';
import type { OptionalMetadataField } from '@purelb/k8s-watch';
import { ALLOCATED_CONDITION, ANNOTATIONS } from './constants.ts';
import type { IngressObject, ServiceGroupObject, ServiceObject, ServicePortObject } from './kube-objects.ts';

type Json = Readonly<Record<string, unknown>>;

const OUR_ANNOTATIONS: readonly string[] = Object.values(ANNOTATIONS);
/** Services and groups are ordered by age; writes carry the uid (Events) and generation (conditions). */
const ALL_IDENTITY: readonly OptionalMetadataField[] = ['uid', 'generation', 'creationTimestamp'];

const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): readonly unknown[] | undefined => (Array.isArray(v) ? (v as unknown[]) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** `{ [name]: value }` when the value is there, else nothing (optional fields stay absent). */
const some = <K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };

function projectPorts(raw: unknown): ServicePortObject[] | undefined {
  return list(raw)?.map((p) => {
    const port = record(p);
    return { ...some('port', num(port?.port)), ...some('protocol', str(port?.protocol)) };
  });
}

function projectIngress(raw: unknown): IngressObject[] | undefined {
  return list(raw)?.map((e) => {
    const entry = record(e);
    return {
      ...some('ip', str(entry?.ip)),
      ...some('ipMode', str(entry?.ipMode)),
      ...some('hostname', str(entry?.hostname)),
    };
  });
}

/** The Service as the allocator reads it; every Service, of any type, is kept this small. */
export function projectService(raw: object): ServiceObject {
  const service = raw as Json;
  const spec = record(service.spec);
  const status = record(service.status);
  const loadBalancerClass = spec?.loadBalancerClass;
  return {
    metadata: projectMetadata(service.metadata, { annotations: OUR_ANNOTATIONS, fields: ALL_IDENTITY }),
    spec: {
      ...some('type', str(spec?.type)),
      ...some('loadBalancerClass', loadBalancerClass === null ? null : str(loadBalancerClass)),
      ...some('loadBalancerIP', str(spec?.loadBalancerIP)),
      ...some(
        'ipFamilies',
        list(spec?.ipFamilies)?.filter((f): f is string => typeof f === 'string'),
      ),
      ...some('ipFamilyPolicy', str(spec?.ipFamilyPolicy)),
      ...some('ports', projectPorts(spec?.ports)),
    },
    status: {
      ...some(
        'loadBalancer',
        status?.loadBalancer === undefined
          ? undefined
          : { ...some('ingress', projectIngress(record(status.loadBalancer)?.ingress)) },
      ),
      // Ours only: conditions are patched by type, the others are never sent back.
      ...some(
        'conditions',
        list(status?.conditions)?.filter((c) => record(c)?.type === ALLOCATED_CONDITION),
      ),
    },
  };
}

/** A ServiceGroup without managedFields and annotations: its spec and status are what the allocator reads. */
export function projectServiceGroup(raw: object): ServiceGroupObject {
  const group = raw as Json;
  return {
    metadata: projectMetadata(group.metadata, { fields: ALL_IDENTITY }),
    ...some('spec', group.spec),
    ...some('status', record(group.status) as ServiceGroupObject['status']),
  };
}
