// The install steps of deploy/ and what each holds: the CRDs, the namespace and the software are
// separate, the software holds no operator data, every reference inside the base resolves, the
// daemons have the shape they need, and one version names every image.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKustomization, parseManifests } from './load-kustomization.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { parseImage } from './set-images.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const deploy = join(root, 'deploy');
const load = (dir: string): readonly ManifestObject[] => loadKustomization(join(deploy, dir)).objects;
const base = load('base');
const kinds = (objects: readonly ManifestObject[]): string[] => [...new Set(objects.map((o) => o.kind))].sort();
const find = (kind: string, name: string): ManifestObject | undefined =>
  base.find((o) => o.kind === kind && o.metadata.name === name);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);
const packageVersion = (dir: string): string =>
  (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { version: string }).version;

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
}
interface Workload {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        hostNetwork?: boolean;
        securityContext?: { runAsNonRoot?: boolean };
        containers: Container[];
      };
    };
  };
}
const workload = (kind: string, name: string): Workload => {
  const o = find(kind, name);
  if (o === undefined) throw new Error(`deploy/base has no ${kind} ${name}`);
  return o as unknown as Workload;
};
const container = (w: Workload): Container => {
  const [c] = w.spec.template.spec.containers;
  if (c === undefined) throw new Error('no container');
  return c;
};
const envFrom = (c: Container, name: string): string | undefined =>
  c.env?.find((e) => e.name === name)?.valueFrom?.fieldRef?.fieldPath;

describe('the install steps', () => {
  it('deploy/crds holds the two CRDs and nothing else', () => {
    const crds = load('crds');
    expect(kinds(crds)).toEqual(['CustomResourceDefinition']);
    expect(crds.map((o) => o.metadata.name).sort()).toEqual(['lbnodeagents.purelb.io', 'servicegroups.purelb.io']);
  });

  it('deploy/namespace holds the namespace purelb, labelled for the agents’ host network and capabilities', () => {
    const [ns, ...rest] = load('namespace');
    expect(rest).toEqual([]);
    expect(ns?.kind).toBe('Namespace');
    expect(ns?.metadata.name).toBe('purelb');
    expect((ns?.metadata['labels'] as Record<string, string>)['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('deploy/base holds the software only: no CRD, no Namespace, no ServiceGroup, no LBNodeAgent', () => {
    expect(loadKustomization(join(deploy, 'base')).files.every((f) => f.path.startsWith(join(deploy, 'base')))).toBe(
      true,
    );
    expect(kinds(base)).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'DaemonSet',
      'Deployment',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('deploy/examples holds operator data only, in the install namespace', () => {
    const examples = load('examples/documentation-ranges');
    expect(kinds(examples)).toEqual(['LBNodeAgent', 'ServiceGroup']);
    expect(examples.find((o) => o.kind === 'LBNodeAgent')?.metadata.name).toBe('default');
    expect(examples.filter((o) => o.kind === 'ServiceGroup').map((o) => o.metadata.name)).toEqual([
      'default',
      'virtual',
    ]);
    for (const o of examples) expect(o.metadata.namespace).toBe('purelb');
  });
});

describe('deploy/base', () => {
  it('puts every namespaced object in the install namespace', () => {
    for (const o of base) {
      if (CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBeUndefined();
      else expect(o.metadata.namespace, `${o.kind} ${o.metadata.name}`).toBe('purelb');
    }
  });

  it('binds only roles and ServiceAccounts that the base defines', () => {
    for (const binding of base.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
      const roleRef = binding['roleRef'] as { kind: string; name: string };
      expect(roleRef.kind).toBe(binding.kind === 'RoleBinding' ? 'Role' : 'ClusterRole');
      expect(
        find(roleRef.kind, roleRef.name),
        `${binding.kind} ${binding.metadata.name} → ${roleRef.name}`,
      ).toBeDefined();
      for (const s of binding['subjects'] as { kind: string; name: string; namespace?: string }[]) {
        expect(s.kind).toBe('ServiceAccount');
        expect(s.namespace).toBe('purelb');
        expect(find('ServiceAccount', s.name)).toBeDefined();
      }
    }
  });

  it('grants no wildcard and never delete on Services', () => {
    for (const role of base.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
      for (const rule of role['rules'] as { resources: string[]; verbs: string[] }[]) {
        expect(rule.verbs).not.toContain('*');
        expect(rule.resources).not.toContain('*');
        if (rule.resources.includes('services')) expect(rule.verbs).not.toContain('delete');
      }
    }
  });

  it.each([
    ['Deployment', 'allocator', 7472],
    ['DaemonSet', 'lbnodeagent', 7473],
  ] as const)(
    '%s %s: selector, probes and metrics port, NODE_NAME, hardened container, resources',
    (kind, name, port) => {
      const w = workload(kind, name);
      for (const [k, v] of Object.entries(w.spec.selector.matchLabels))
        expect(w.spec.template.metadata.labels[k]).toBe(v);
      expect(find('ServiceAccount', w.spec.template.spec.serviceAccountName)).toBeDefined();
      const c = container(w);
      const metrics = c.ports?.find((p) => p.containerPort === port);
      expect(metrics?.name).toBe('metrics');
      expect(c.args).toContain(`--listen=0.0.0.0:${port}`);
      expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
      expect(envFrom(c, 'NODE_NAME')).toBe('spec.nodeName');
      expect(envFrom(c, 'PURELB_NAMESPACE')).toBe('metadata.namespace');
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      expect(c.resources?.requests).toHaveProperty('cpu');
      expect(c.resources?.requests).toHaveProperty('memory');
      expect(c.resources?.limits).toHaveProperty('memory');
      const service = find('Service', `${name}-metrics`);
      expect(service?.['spec']).toMatchObject({
        selector: w.spec.selector.matchLabels,
        ports: [{ name: 'metrics', port, targetPort: 'metrics' }],
      });
    },
  );

  it('runs two non-root allocator replicas with no capabilities and its leadership identity', () => {
    const w = workload('Deployment', 'allocator');
    expect(w.spec.replicas).toBe(2);
    expect(w.spec.template.spec.securityContext?.runAsNonRoot).toBe(true);
    const c = container(w);
    expect(envFrom(c, 'POD_NAME')).toBe('metadata.name');
    expect(c.securityContext).toMatchObject({ capabilities: { drop: ['ALL'] } });
  });

  it('runs the node agents on the host network with NET_ADMIN and NET_RAW only', () => {
    const w = workload('DaemonSet', 'lbnodeagent');
    expect(w.spec.template.spec.hostNetwork).toBe(true);
    expect(container(w).securityContext).toMatchObject({
      capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_RAW'] },
    });
  });
});

describe('one version and one image scheme', () => {
  const version = packageVersion('apps/allocator');
  const chart = readFileSync(join(deploy, 'helm', 'purelb', 'Chart.yaml'), 'utf8');

  it('the daemons, the chart and the base share the release version', () => {
    expect(packageVersion('apps/lbnodeagent')).toBe(version);
    expect(packageVersion('apps/routing-sidecar')).toBe(version);
    expect(chart).toMatch(new RegExp(`^version: ${version.replaceAll('.', '\\.')}$`, 'm'));
    expect(chart).toMatch(new RegExp(`^appVersion: "${version.replaceAll('.', '\\.')}"$`, 'm'));
    expect(loadKustomization(join(deploy, 'base')).images).toEqual([
      { name: 'purelb/allocator', newTag: version },
      { name: 'purelb/lbnodeagent', newTag: version },
    ]);
  });

  it('every image of the base is purelb/<container name>:<version>, as written and as kustomize emits it', () => {
    const files = loadKustomization(join(deploy, 'base')).files;
    for (const objects of [files.flatMap((f) => f.written), files.flatMap((f) => f.objects)]) {
      const images = objects
        .filter((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet')
        .flatMap((o) => (o as unknown as Workload).spec.template.spec.containers);
      expect(images.length).toBe(2);
      for (const c of images) expect(parseImage(c.image)).toEqual({ name: `purelb/${c.name}`, tag: version });
    }
  });

  it.each(['allocator', 'lbnodeagent'])('%s --version prints that version (no cluster needed)', (daemon) => {
    const main = join(root, 'apps', daemon, 'src', 'main.ts');
    const out = execFileSync(process.execPath, ['--conditions=@purelb/source', main, '--version'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
      timeout: 30_000,
    });
    expect(out).toBe(`${daemon} ${version}\n`);
  });

  it('the routing sidecar component names purelb/routing-sidecar:<version> too', () => {
    const component = join(deploy, 'components', 'routing-sidecar');
    expect(readFileSync(join(component, 'kustomization.yaml'), 'utf8')).toContain(
      `  - name: purelb/routing-sidecar\n    newTag: ${version}\n`,
    );
    const [patch] = parseManifests(
      readFileSync(join(component, 'lbnodeagent-routing-sidecar.yaml'), 'utf8'),
      'the sidecar patch',
    );
    const images = (patch as unknown as Workload | undefined)?.spec.template.spec.containers.map((c) => c.image);
    expect(images).toEqual([`purelb/routing-sidecar:${version}`]);
  });

  it('each Dockerfile’s build line tags the image it builds with that name and version', () => {
    for (const component of ['allocator', 'lbnodeagent', 'routing-sidecar']) {
      const dockerfile = readFileSync(join(deploy, 'images', `${component}.Dockerfile`), 'utf8');
      expect(dockerfile).toContain(
        `docker build -f deploy/images/${component}.Dockerfile -t purelb/${component}:${version} .`,
      );
    }
  });
});
