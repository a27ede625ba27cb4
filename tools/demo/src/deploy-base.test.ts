// Consistency of deploy/base: every reference inside the base resolves, and the Deployment has the
// shape the allocator needs. (The API server's own view is in deploy-base.int.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKustomization } from './load-manifests.ts';
import type { ManifestObject } from './load-manifests.ts';

const base = join(import.meta.dirname, '..', '..', '..', 'deploy', 'base');
const { directories, objects } = loadKustomization(base);
const all = objects.map((o) => o.object);
const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);
const find = (kind: string, name: string): ManifestObject | undefined =>
  all.find((o) => o.kind === kind && o.metadata.name === name);

interface RoleRef {
  kind: string;
  name: string;
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}
interface DeploymentShape {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { serviceAccountName: string; securityContext?: { runAsNonRoot?: boolean }; containers: Container[] };
    };
  };
}

describe('deploy/base', () => {
  it('includes the CRDs and the expected kinds', () => {
    expect(directories).toEqual(['../crds']);
    expect([...new Set(all.map((o) => o.kind))].sort()).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'DaemonSet', 'Deployment', 'LBNodeAgent', 'Namespace', 'Role', 'RoleBinding', 'ServiceAccount', 'ServiceGroup'].sort(),
    );
  });

  it('puts every namespaced object in the install namespace, which the base creates', () => {
    expect(find('Namespace', 'purelb')).toBeDefined();
    for (const o of all) {
      if (clusterScoped.has(o.kind)) expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBeUndefined();
      else expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('purelb');
    }
  });

  it('binds only roles and ServiceAccounts that the base defines', () => {
    for (const binding of all.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
      const roleRef = binding['roleRef'] as RoleRef;
      expect(roleRef.kind).toBe(binding.kind === 'RoleBinding' ? 'Role' : 'ClusterRole');
      expect(find(roleRef.kind, roleRef.name), `${binding.kind} ${binding.metadata.name} → ${roleRef.name}`).toBeDefined();
      for (const s of binding['subjects'] as Subject[]) {
        expect(s.kind).toBe('ServiceAccount');
        expect(s.namespace).toBe('purelb');
        expect(find('ServiceAccount', s.name)).toBeDefined();
      }
    }
  });

  it('grants no wildcard and never delete on Services', () => {
    for (const role of all.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      for (const rule of role['rules'] as { resources: string[]; verbs: string[] }[]) {
        expect(rule.verbs).not.toContain('*');
        expect(rule.resources).not.toContain('*');
        if (rule.resources.includes('services')) expect(rule.verbs).not.toContain('delete');
      }
    }
  });

  it('runs two non-root allocator replicas with probes, metrics port, POD_NAME and resources', () => {
    const d = find('Deployment', 'allocator') as unknown as DeploymentShape | undefined;
    expect(d).toBeDefined();
    if (d === undefined) return;
    expect(d.spec.replicas).toBe(2);
    for (const [k, v] of Object.entries(d.spec.selector.matchLabels)) expect(d.spec.template.metadata.labels[k]).toBe(v);
    const pod = d.spec.template.spec;
    expect(find('ServiceAccount', pod.serviceAccountName)).toBeDefined();
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    const [c] = pod.containers;
    expect(c).toBeDefined();
    if (c === undefined) return;
    const metrics = c.ports?.find((p) => p.containerPort === 7472);
    expect(metrics).toBeDefined();
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: metrics?.name });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: metrics?.name });
    expect(c.args).toContain('--listen=0.0.0.0:7472');
    expect(c.env?.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.resources?.requests).toHaveProperty('cpu');
    expect(c.resources?.requests).toHaveProperty('memory');
    expect(c.resources?.limits).toHaveProperty('memory');
  });

  it('builds the image the Deployment names from the compiled allocator', () => {
    const dockerfile = readFileSync(join(base, '..', 'images', 'allocator.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('apps/allocator/dist/main.js');
    const kustomization = readFileSync(join(base, 'kustomization.yaml'), 'utf8');
    const d = find('Deployment', 'allocator') as unknown as DeploymentShape;
    const image = d.spec.template.spec.containers[0]?.image ?? '';
    expect(kustomization).toContain(`name: ${image.split(':')[0] ?? ''}`);
  });
});

interface DaemonSetShape {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: { serviceAccountName: string; hostNetwork?: boolean; containers: (Container & { securityContext?: { capabilities?: { add?: string[] } } })[] };
    };
  };
}

describe('deploy/base: the node agents', () => {
  it('run one per node on the host network with NET_ADMIN and NET_RAW only, probes, metrics port and NODE_NAME', () => {
    const ds = find('DaemonSet', 'lbnodeagent') as unknown as DaemonSetShape | undefined;
    expect(ds).toBeDefined();
    if (ds === undefined) return;
    for (const [k, v] of Object.entries(ds.spec.selector.matchLabels)) expect(ds.spec.template.metadata.labels[k]).toBe(v);
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(find('ServiceAccount', pod.serviceAccountName)).toBeDefined();
    const [c] = pod.containers;
    if (c === undefined) throw new Error('no container');
    const metrics = c.ports?.find((p) => p.containerPort === 7473);
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: metrics?.name });
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: metrics?.name });
    expect(c.env?.find((e) => e.name === 'NODE_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] } });
  });

  it('have a default LBNodeAgent and an image built from the compiled agent with arping', () => {
    expect(find('LBNodeAgent', 'default')).toBeDefined();
    const dockerfile = readFileSync(join(base, '..', 'images', 'lbnodeagent.Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24/m);
    expect(dockerfile).toContain('iputils-arping');
    expect(dockerfile).toContain('apps/lbnodeagent/dist/main.js');
    const ds = find('DaemonSet', 'lbnodeagent') as unknown as DaemonSetShape;
    const image = ds.spec.template.spec.containers[0]?.image ?? '';
    expect(readFileSync(join(base, 'kustomization.yaml'), 'utf8')).toContain(`name: ${image.split(':')[0] ?? ''}`);
  });
});
