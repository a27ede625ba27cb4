// The allocator's in-process test bench: an in-memory API server and Lease store on a hand-driven
// clock, object builders, and a logger that keeps what it is told. For fast, deterministic tests of
// the policies; the integration tests against a real API server stay the proof.
import { createFakeApiServer, createFakeClock, createFakeLeaseStore } from '@purelb/k8s-watch/testing';
import type { ClusterWriter } from '@purelb/k8s-watch';
import type { FakeApiServer, FakeClock, FakeLeaseStore } from '@purelb/k8s-watch/testing';
import type { AllocatorCluster } from '../allocator.ts';
import { SERVICE_GROUP_RESOURCE } from '../constants.ts';
import type { ServiceGroupObject, ServiceObject } from '../kube-objects.ts';
import type { Fields, Logger } from '../logger.ts';

export interface LoggedEvent {
  readonly level: 'fatal' | 'error' | 'warn' | 'info' | 'debug';
  readonly event: string;
  readonly fields: Fields;
}

/** A Logger that keeps every line (children share the list). */
export function createMemoryLogger(lines: LoggedEvent[] = []): Logger & { readonly lines: LoggedEvent[] } {
  const at =
    (level: LoggedEvent['level']) =>
    (event: string, fields: Fields = {}): void => {
      lines.push({ level, event, fields });
    };
  return {
    lines,
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => createMemoryLogger(lines),
  };
}

export const INSTALL_NAMESPACE = 'purelb';
export const groupsPath = (namespace = INSTALL_NAMESPACE): string =>
  `/apis/${SERVICE_GROUP_RESOURCE.group}/${SERVICE_GROUP_RESOURCE.version}/namespaces/${namespace}/${SERVICE_GROUP_RESOURCE.plural}`;
export const servicesPath = (namespace: string): string => `/api/v1/namespaces/${namespace}/services`;

export interface ServiceShape {
  readonly annotations?: Readonly<Record<string, string>>;
  readonly type?: string;
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  readonly ports?: readonly { port: number; protocol?: string }[];
  /** `status.loadBalancer.ingress`, as a previous leader left it. */
  readonly ingress?: readonly string[];
  /** Sorts the import: older Services are imported first. */
  readonly createdAt?: string;
}

export function serviceObject(namespace: string, name: string, shape: ServiceShape = {}): ServiceObject {
  return {
    metadata: {
      name,
      namespace,
      creationTimestamp: shape.createdAt ?? '2026-01-01T00:00:00Z',
      ...(shape.annotations === undefined ? {} : { annotations: shape.annotations }),
    },
    spec: {
      type: shape.type ?? 'LoadBalancer',
      ipFamilies: shape.ipFamilies ?? ['IPv4'],
      ipFamilyPolicy: shape.ipFamilyPolicy ?? 'SingleStack',
      ports: (shape.ports ?? [{ port: 80 }]).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' })),
    },
    ...(shape.ingress === undefined
      ? {}
      : { status: { loadBalancer: { ingress: shape.ingress.map((ip) => ({ ip, ipMode: 'VIP' })) } } }),
  };
}

export interface GroupShape {
  /** Default `192.0.2.0/24`. */
  readonly subnet?: string;
  /** Older groups win overlaps. */
  readonly createdAt?: string;
}

export function groupObject(name: string, v4pools: readonly string[], shape: GroupShape = {}): ServiceGroupObject {
  return {
    metadata: {
      name,
      namespace: INSTALL_NAMESPACE,
      creationTimestamp: shape.createdAt ?? '2026-01-01T00:00:00Z',
      generation: 1,
    },
    spec: { local: { v4pools: v4pools.map((pool) => ({ pool, subnet: shape.subnet ?? '192.0.2.0/24' })) } },
  };
}

export interface InMemoryCluster {
  readonly api: FakeApiServer;
  readonly leases: FakeLeaseStore;
  readonly clock: FakeClock;
  /** What one replica talks to: the shared API server, and a Lease client of its own (named for `setFault`). */
  clusterFor(replica: string): AllocatorCluster;
  /** Every write a replica began through `clusterFor(replica).writer`, in order. */
  readonly writesBy: readonly { readonly replica: string; readonly at: number }[];
  putGroup(name: string, v4pools: readonly string[], shape?: GroupShape): void;
  putService(namespace: string, name: string, shape?: ServiceShape): void;
  service(namespace: string, name: string): ServiceObject | undefined;
  /** `ingress ip…` and the condition reason, e.g. `192.0.2.10 Allocated`, `- PoolExhausted`. */
  shows(namespace: string, name: string): string;
  /** Lets time pass in steps, running whatever became due (timers, watch events, writes). */
  run(ms: number): Promise<void>;
}

export function createInMemoryCluster(): InMemoryCluster {
  const api = createFakeApiServer();
  const leases = createFakeLeaseStore();
  const clock = createFakeClock(1_000_000);
  const writesBy: { replica: string; at: number }[] = [];
  const writerFor = (replica: string): ClusterWriter => {
    const note = (): void => {
      writesBy.push({ replica, at: clock.now() });
    };
    return {
      patchServiceStatus: (ref, status) => {
        note();
        return api.writer.patchServiceStatus(ref, status);
      },
      patchAnnotations: (target, change) => {
        note();
        return api.writer.patchAnnotations(target, change);
      },
      patchCustomStatus: (ref, status) => {
        note();
        return api.writer.patchCustomStatus(ref, status);
      },
      createEvent: (event) => {
        note();
        return api.writer.createEvent(event);
      },
    };
  };
  const service = (namespace: string, name: string): ServiceObject | undefined =>
    api.get(`${servicesPath(namespace)}/${name}`) as ServiceObject | undefined;
  return {
    api,
    leases,
    clock,
    clusterFor: (replica) => ({
      transport: api.transport,
      writer: writerFor(replica),
      leaseClient: leases.client(replica),
    }),
    writesBy,
    putGroup: (name, v4pools, shape) => {
      api.put(groupsPath(), groupObject(name, v4pools, shape));
    },
    putService: (namespace, name, shape) => {
      api.put(servicesPath(namespace), serviceObject(namespace, name, shape));
    },
    service,
    shows: (namespace, name) => {
      const svc = service(namespace, name);
      const ips = (svc?.status?.loadBalancer?.ingress ?? []).map((e) => e.ip ?? '?');
      const condition = (svc?.status?.conditions ?? []).find(
        (c) => (c as { type?: string }).type === 'purelb.io/Allocated',
      ) as { reason?: string } | undefined;
      return `${ips.join(',') || '-'} ${condition?.reason ?? 'none'}`;
    },
    run: async (ms) => {
      const step = 50;
      for (let t = 0; t < ms; t += step) await clock.advanceAsync(Math.min(step, ms - t));
    },
  };
}
