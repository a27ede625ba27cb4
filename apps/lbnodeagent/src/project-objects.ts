// What the watch caches keep of each object: the fields the agent's decisions and plans read,
// nothing else (ADR 0014). Every node runs an agent and every agent watches every Service,
// EndpointSlice and Node of the cluster, so what a cache keeps is paid once per node: a Service
// keeps our annotations, its type, class and traffic policy, its ingress addresses and our condition
// (conditions are patched by type: the others are never sent back); an EndpointSlice keeps its Service and one
// endpoint per node and readiness; a Node keeps its Ready condition; a Lease its holder, timing and
// subnets. Never throws: a field of the wrong type is left out, as the readers would ignore it.
import { internString, projectMetadata } from '@purelb/k8s-watch';
import { ANNOTATIONS, ANNOUNCED_CONDITION, SERVICE_NAME_LABEL } from './constants.ts';
import type {
  EndpointObject,
  EndpointSliceObject,
  LBNodeAgentObject,
  LeaseObject,
  NodeObject,
  ServiceGroupObject,
  ServiceObject,
} from './kube-objects.ts';

type Json = Readonly<Record<string, unknown>>;

const OUR_ANNOTATIONS: readonly string[] = Object.values(ANNOTATIONS);

const record = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? (v as unknown[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** A string of few distinct values (a type, a node name), shared between objects. */
const word = (v: unknown): string | undefined => (typeof v === 'string' ? internString(v) : undefined);

/** The endpoint conditions as `endpointNodes` reads them, one shared object per combination. */
type EndpointConditions = NonNullable<EndpointObject['conditions']>;
const CONDITIONS = new Map<string, EndpointConditions>();
function endpointConditions(
  ready: boolean | null | undefined,
  serving: boolean | null | undefined,
): EndpointConditions {
  const key = `${ready}/${serving}`;
  let conditions = CONDITIONS.get(key);
  if (conditions === undefined)
    CONDITIONS.set(key, (conditions = Object.freeze({ ...some('ready', ready), ...some('serving', serving) })));
  return conditions;
}

/** `{ [name]: value }` when the value is there, else nothing (optional fields stay absent). */
const some = <K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };

/** A condition flag as the API writes it: true, false or null (absent stays absent). */
const flag = (v: unknown): boolean | null | undefined => (typeof v === 'boolean' || v === null ? v : undefined);

export function projectService(raw: object): ServiceObject {
  const service = raw as Json;
  const spec = record(service.spec);
  const status = record(service.status);
  const loadBalancerClass = spec?.loadBalancerClass;
  const ingress = record(status?.loadBalancer)?.ingress;
  return {
    metadata: projectMetadata(service.metadata, { annotations: OUR_ANNOTATIONS, fields: ['uid', 'generation'] }),
    spec: {
      ...some('type', word(spec?.type)),
      ...some('loadBalancerClass', loadBalancerClass === null ? null : word(loadBalancerClass)),
      ...some('externalTrafficPolicy', word(spec?.externalTrafficPolicy)),
    },
    status: {
      ...some(
        'loadBalancer',
        Array.isArray(ingress)
          ? { ingress: list(ingress).map((e) => ({ ...some('ip', str(record(e)?.ip)) })) }
          : undefined,
      ),
      ...some(
        'conditions',
        Array.isArray(status?.conditions)
          ? list(status.conditions)
              .filter((c) => record(c)?.type === ANNOUNCED_CONDITION)
              .slice() // exact size: a filtered array keeps room for 17
          : undefined,
      ),
    },
  };
}

/**
 * The slice's Service label and its endpoints reduced to what `endpointNodes` reads: node and
 * readiness, each combination once (a slice of a hundred Pods on three nodes keeps three endpoints).
 */
export function projectEndpointSlice(raw: object): EndpointSliceObject {
  const slice = raw as Json;
  const seen = new Set<string>();
  const endpoints: EndpointObject[] = [];
  for (const e of list(slice.endpoints)) {
    const endpoint = record(e);
    const nodeName = word(endpoint?.nodeName);
    const conditions = record(endpoint?.conditions);
    const ready = flag(conditions?.ready);
    const serving = flag(conditions?.serving);
    const key = JSON.stringify([nodeName, ready, serving]);
    if (seen.has(key)) continue;
    seen.add(key);
    endpoints.push({
      ...some('nodeName', nodeName),
      ...some('conditions', conditions === undefined ? undefined : endpointConditions(ready, serving)),
    });
  }
  return {
    metadata: projectMetadata(slice.metadata, { labels: [SERVICE_NAME_LABEL] }),
    ...(Array.isArray(slice.endpoints) ? { endpoints: endpoints.slice() } : {}), // exact size, as above
  };
}

/** A Node keeps its name and its `Ready` condition: its images, addresses and capacity are not the agent's. */
export function projectNode(raw: object): NodeObject {
  const node = raw as Json;
  const ready = list(record(node.status)?.conditions)
    .map(record)
    .find((c) => c?.type === 'Ready');
  return {
    metadata: projectMetadata(node.metadata),
    status: ready === undefined ? {} : { conditions: [{ type: 'Ready', ...some('status', str(ready.status)) }] },
  };
}

export function projectLease(raw: object): LeaseObject {
  const lease = raw as Json;
  const spec = record(lease.spec);
  const seconds = spec?.leaseDurationSeconds;
  return {
    metadata: projectMetadata(lease.metadata, { annotations: [ANNOTATIONS.subnets] }),
    spec: {
      ...some('holderIdentity', str(spec?.holderIdentity)),
      ...some('leaseDurationSeconds', typeof seconds === 'number' ? seconds : undefined),
      ...some('renewTime', str(spec?.renewTime)),
    },
  };
}

/** A custom resource of ours (LBNodeAgent, ServiceGroup): without managedFields and annotations. */
export function projectCustom(raw: object): LBNodeAgentObject & ServiceGroupObject {
  const object = raw as Json;
  const conditions = record(object.status)?.conditions;
  return {
    metadata: projectMetadata(object.metadata, { fields: ['uid', 'generation'] }),
    ...some('spec', object.spec),
    ...(object.status === undefined
      ? {}
      : { status: { ...some('conditions', Array.isArray(conditions) ? list(conditions) : undefined) } }),
  };
}
