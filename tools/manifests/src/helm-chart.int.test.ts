// The Helm chart: `helm lint --strict` is clean, wrong values are refused with a message that says
// what to do, and `helm template` output for the default values and for non-default ones is
// accepted by the real API server with strict field validation (a dry run, then for real), each in
// a namespace of its own, and applying it again changes nothing. The monitoring objects are checked
// against prometheus-operator's own CRDs. With default values the chart installs what deploy/base
// does (and the LBNodeAgent).
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createKubeClient, createTestNamespace, statusMessage, waitUntil } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { applyObjects, deleteObjects, describeObject } from './apply-objects.ts';
import { CHART_DIR, lintChart, renderChart } from './helm-chart.ts';
import { loadKustomization, parseManifests } from './load-kustomization.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { locateMonitoringCrds, locateTool } from './locate-tool.ts';
import { renderChartMonitoring } from './render-install.ts';
import { runCommand } from './run-command.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const suffix = randomBytes(3).toString('hex');
type Values = Readonly<Record<string, unknown>>;

const variants: Readonly<Record<string, Values>> = {
  defaults: {},
  everything: {
    image: { prefix: 'registry.example/purelb/', tag: '0.1.0-rc.1', pullPolicy: 'Always' },
    imagePullSecrets: [{ name: 'registry' }],
    defaultClass: false,
    logLevel: 'debug',
    allocator: {
      replicas: 3,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'lb', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'lb', operator: 'Exists' }] }],
          },
        },
      },
      priorityClassName: 'system-cluster-critical',
      podAnnotations: { 'example.com/owner': 'network' },
      extraArgs: ['--lease-duration=20000'],
      resources: { requests: { cpu: '100m', memory: '192Mi' }, limits: { memory: '512Mi' } },
    },
    lbnodeagent: {
      leaseDuration: '5s',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-node-critical',
      extraArgs: ['--link-kind=dummy'],
      config: { create: true, localint: '^(eth|ens)[0-9]+$', extlbint: 'purelb0', sendgarp: false },
    },
    routingSidecar: {
      enabled: true,
      resources: { requests: { cpu: '10m', memory: '48Mi' }, limits: { memory: '128Mi' } },
    },
    serviceGroup: {
      create: true,
      name: 'default',
      local: {
        v4pools: [{ pool: '192.0.2.240-192.0.2.250', subnet: '192.0.2.0/24', aggregation: 'default' }],
        v6pools: [{ pool: '2001:db8:0:8100::4/64', subnet: '2001:db8:0:8100::/64' }],
      },
    },
    metrics: {
      podMonitor: { enabled: true, labels: { release: 'prometheus' }, interval: '15s' },
      dashboards: { enabled: true, labels: { grafana_dashboard: '1', team: 'network' } },
      prometheusRule: {
        enabled: true,
        labels: { release: 'prometheus' },
        extraGroups: [
          {
            name: 'site',
            rules: [{ alert: 'SiteRule', expr: 'vector(1) > 2', for: '5m', labels: { severity: 'info' } }],
          },
        ],
      },
    },
  },
  serviceMonitor: {
    metrics: { serviceMonitor: { enabled: true, labels: { release: 'prometheus' } } },
    lbnodeagent: { config: { create: false } },
  },
  noMetricsService: { metrics: { service: { enabled: false } } },
};

let helm: string;
let kustomize: string;
let rest: KubeClient;
const clusterObjects: ManifestObject[] = [];

async function apply(objects: readonly ManifestObject[], dryRun = false): Promise<string[]> {
  const res = await applyObjects(rest, objects, { fieldManager: 'helm', dryRun });
  if (!res.ok) throw new Error(`${res.error.object}: ${res.error.message}`);
  return res.value.map((o) => o.kind);
}

async function render(release: string, namespace: string, values: Values): Promise<ManifestObject[]> {
  const out = await renderChart({ helm, release, namespace, values });
  if (!out.ok) throw new Error(out.error);
  return out.value;
}

/** prometheus-operator's ServiceMonitor, PodMonitor and PrometheusRule CRDs, applied and served. */
async function installMonitoringCrds(): Promise<void> {
  const dir = await locateMonitoringCrds();
  const crds = readdirSync(dir).flatMap((f) => parseManifests(readFileSync(join(dir, f), 'utf8'), f));
  await apply(crds);
  await waitUntil(
    async () => {
      const res = await rest.get('/apis/monitoring.coreos.com/v1');
      const kinds =
        res.status === 200 ? (res.body as { resources: { kind: string }[] }).resources.map((r) => r.kind) : [];
      const all = ['PodMonitor', 'PrometheusRule', 'ServiceMonitor'].every((k) => kinds.includes(k));
      return all
        ? { kind: 'done', value: undefined }
        : { kind: 'pending', reason: `served: ${kinds.join(', ') || statusMessage(res.body)}` };
    },
    { what: 'the monitoring CRDs to be served', timeoutMs: 30_000, intervalMs: 200 },
  );
}

beforeAll(async () => {
  helm = await locateTool('helm');
  kustomize = await locateTool('kustomize');
  rest = await createKubeClient(testKubeConfig(), { maxSockets: 4 });
  await installMonitoringCrds();
}, 900_000);

afterAll(async () => {
  expect(await deleteObjects(rest, clusterObjects)).toEqual([]);
  rest.close();
});

describe('helm lint --strict', () => {
  it.each(Object.entries(variants))('is clean with the %s values', async (_name, values) => {
    const lint = await lintChart(helm, values);
    expect(lint.problems, lint.output).toEqual([]);
    expect(lint.code, lint.output).toBe(0);
  });
});

describe('values the chart refuses', () => {
  it.each([
    ['a log level that is not a word it knows', { logLevel: 'loud' }, "at '/logLevel': value must be one of"],
    ['an unknown key (a typo)', { allocater: { replicas: 1 } }, "additional properties 'allocater' not allowed"],
    [
      'a ServiceGroup without pools (there are no default addresses)',
      { serviceGroup: { create: true } },
      'serviceGroup.create is true but serviceGroup.local has no pool',
    ],
    [
      'both scrape objects',
      { metrics: { serviceMonitor: { enabled: true }, podMonitor: { enabled: true } } },
      'enable one of them',
    ],
    [
      'a ServiceMonitor without the Services it selects',
      { metrics: { service: { enabled: false }, serviceMonitor: { enabled: true } } },
      'needs metrics.service.enabled',
    ],
  ] as const)('%s', async (_what, values, message) => {
    const out = await renderChart({ helm, release: 'purelb', namespace: 'purelb', values });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error).toContain(message);
  });
});

describe.each(Object.entries(variants))('helm template with the %s values on the real API server', (name, values) => {
  const release = `purelb-${name.toLowerCase()}-${suffix}`;
  let namespace: string;
  let objects: ManifestObject[];

  beforeAll(async () => {
    namespace = await createTestNamespace(testKubeConfig(), `chart-${name.toLowerCase()}`);
    objects = await render(release, namespace, values);
    clusterObjects.push(...objects.filter((o) => o.metadata.namespace === undefined));
  });

  it('puts every namespaced object in the release namespace', () => {
    for (const o of objects)
      if (!o.kind.startsWith('Cluster')) expect(o.metadata.namespace, describeObject(o)).toBe(namespace);
  });

  it('is accepted as a dry run, then for real, and a second apply changes nothing', async () => {
    expect(await apply(objects, true)).toEqual(objects.map(() => 'created'));
    expect(await apply(objects)).toEqual(objects.map(() => 'created'));
    expect(await apply(objects)).toEqual(objects.map(() => 'unchanged'));
  });
});

describe('what the values change', () => {
  const kindsOf = (objects: readonly ManifestObject[]): string[] => objects.map((o) => o.kind).sort();
  const containerOf = (objects: readonly ManifestObject[], kind: string): { image: string; args: string[] } => {
    const o = objects.find((x) => x.kind === kind) as unknown as {
      spec: { template: { spec: { containers: { image: string; args: string[] }[] } } };
    };
    const [c] = o.spec.template.spec.containers;
    if (c === undefined) throw new Error(`no container in the ${kind}`);
    return c;
  };

  it('defaults: the daemons, RBAC, metrics Services and the LBNodeAgent; no ServiceGroup and no monitoring objects', async () => {
    const objects = await render('purelb', 'purelb', {});
    expect([...new Set(kindsOf(objects))]).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'DaemonSet',
      'Deployment',
      'LBNodeAgent',
      'Role',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
    expect(containerOf(objects, 'Deployment').image).toBe('purelb/allocator:0.1.0');
    expect(containerOf(objects, 'DaemonSet').image).toBe('purelb/lbnodeagent:0.1.0');
  });

  it('everything: one image prefix and tag for both daemons, the flags, the group (kept on uninstall) and the agents’ settings', async () => {
    const objects = await render('purelb', 'lb', variants['everything'] ?? {});
    expect(containerOf(objects, 'Deployment').image).toBe('registry.example/purelb/allocator:0.1.0-rc.1');
    expect(containerOf(objects, 'DaemonSet').image).toBe('registry.example/purelb/lbnodeagent:0.1.0-rc.1');
    expect(containerOf(objects, 'Deployment').args).toEqual([
      '--listen=0.0.0.0:7472',
      '--log-level=debug',
      '--default-class=false',
      '--lease-duration=20000',
    ]);
    expect(containerOf(objects, 'DaemonSet').args).toEqual([
      '--listen=0.0.0.0:7473',
      '--lease-duration=5s',
      '--log-level=debug',
      '--default-class=false',
      '--link-kind=dummy',
    ]);
    const group = objects.find((o) => o.kind === 'ServiceGroup');
    expect(group?.metadata['annotations']).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(objects.find((o) => o.kind === 'LBNodeAgent')?.['spec']).toEqual({
      local: { localint: '^(eth|ens)[0-9]+$', extlbint: 'purelb0', sendgarp: false },
    });
    expect(kindsOf(objects).filter((k) => k.endsWith('Monitor') || k === 'PrometheusRule')).toEqual([
      'PodMonitor',
      'PrometheusRule',
    ]);
  });

  it('serviceMonitor: a ServiceMonitor over the metrics Services, no LBNodeAgent', async () => {
    const objects = await render('purelb', 'purelb', variants['serviceMonitor'] ?? {});
    expect(kindsOf(objects)).toContain('ServiceMonitor');
    expect(kindsOf(objects)).not.toContain('LBNodeAgent');
  });
});

describe('the rules and dashboards the chart ships (files/monitoring/, copies of deploy/monitoring)', () => {
  const shipped = renderChartMonitoring(root);

  it('reach the PrometheusRule and the dashboards ConfigMap, whichever rule format a file has; the API server accepts them', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'purelb-chart-'));
    try {
      cpSync(CHART_DIR, join(copy, 'purelb'), { recursive: true });
      const files = join(copy, 'purelb', 'files', 'monitoring');
      rmSync(files, { recursive: true, force: true });
      mkdirSync(files, { recursive: true });
      writeFileSync(
        join(files, 'a.yaml'),
        'groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: vector(1) > 2\n',
      );
      writeFileSync(
        join(files, 'b.yaml'),
        'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: b }\nspec:\n  groups:\n    - name: b\n      rules: [{ record: b:up, expr: up }]\n',
      );
      writeFileSync(join(files, 'purelb.json'), '{ "title": "PureLB" }\n');
      const namespace = await createTestNamespace(testKubeConfig(), 'chart-monitoring');
      const values = {
        metrics: {
          prometheusRule: { enabled: true, extraGroups: [{ name: 'c', rules: [{ record: 'c:up', expr: 'up' }] }] },
          dashboards: { enabled: true },
        },
      };
      const out = await renderChart({
        helm,
        release: `purelb-m-${suffix}`,
        namespace,
        values,
        chart: join(copy, 'purelb'),
      });
      if (!out.ok) throw new Error(out.error);
      clusterObjects.push(...out.value.filter((o) => o.metadata.namespace === undefined));
      const rule = out.value.find((o) => o.kind === 'PrometheusRule') as unknown as {
        spec: { groups: { name: string }[] };
      };
      expect(rule.spec.groups.map((g) => g.name)).toEqual(['a', 'b', 'c']);
      const dashboards = out.value.find((o) => o.kind === 'ConfigMap');
      expect(dashboards?.['data']).toEqual({ 'purelb.json': '{ "title": "PureLB" }' });
      expect(dashboards?.metadata['labels']).toMatchObject({ grafana_dashboard: '1' });
      expect(await apply(out.value)).toEqual(out.value.map(() => 'created'));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('deploy/monitoring ships rules and a dashboard, and the chart carries both', async () => {
    expect(shipped.map((f) => f.path.split('/').at(-1))).toEqual(['grafana-dashboard.json', 'prometheus-rules.yaml']);
    const objects = await render('purelb', 'purelb', {
      metrics: { prometheusRule: { enabled: true }, dashboards: { enabled: true } },
    });
    const dashboards = objects.find((o) => o.kind === 'ConfigMap');
    const json = (dashboards?.['data'] as Record<string, string> | undefined)?.['grafana-dashboard.json'] ?? '';
    expect(JSON.parse(json)).toEqual(JSON.parse(shipped.find((f) => f.path.endsWith('.json'))?.text ?? ''));
  });

  it('every rule group of deploy/monitoring is in the chart’s PrometheusRule', async () => {
    const groupsOf = (text: string): string[] => {
      const doc = parseAllDocuments(text)[0]?.toJS() as
        { groups?: { name: string }[]; spec?: { groups?: { name: string }[] } } | undefined;
      return [...(doc?.groups ?? []), ...(doc?.spec?.groups ?? [])].map((g) => g.name);
    };
    const expected = shipped.filter((f) => f.path.endsWith('.yaml')).flatMap((f) => groupsOf(f.text));
    const values = {
      metrics: {
        prometheusRule: { enabled: true, extraGroups: [{ name: 'mine', rules: [{ record: 'x', expr: 'up' }] }] },
      },
    };
    const rule = (await render('purelb', 'purelb', values)).find((o) => o.kind === 'PrometheusRule') as unknown as {
      spec: { groups: { name: string }[] };
    };
    expect(rule.spec.groups.map((g) => g.name)).toEqual([...expected, 'mine']);
  });
});

describe('the chart with default values and deploy/base', () => {
  const base = loadKustomization(join(root, 'deploy', 'base')).objects;
  type Json = Record<string, unknown>;
  const labelsOf = (o: unknown): Record<string, string> =>
    (o as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
  /** The object without labels, selectors and the selector inside the default anti-affinity. */
  const comparable = (o: ManifestObject): Json => {
    const c = structuredClone(o) as unknown as {
      metadata: Json;
      spec?: Json & { template?: { metadata?: Json; spec?: Json } };
    };
    delete c.metadata['labels'];
    if (c.spec !== undefined) {
      delete c.spec['selector'];
      delete c.spec.template?.metadata?.['labels'];
      delete c.spec.template?.spec?.['affinity'];
      // A kustomize patch puts an added container first, the chart puts it last: the order is not compared.
      const containers = c.spec.template?.spec?.['containers'];
      if (Array.isArray(containers)) (containers as { name: string }[]).sort((a, b) => a.name.localeCompare(b.name));
    }
    return c;
  };

  it('installs the same objects as the base, with the same content, plus the LBNodeAgent', async () => {
    const chart = await render('purelb', 'purelb', {});
    expect(
      chart
        .filter((o) => o.kind !== 'LBNodeAgent')
        .map(describeObject)
        .sort(),
    ).toEqual(base.map(describeObject).sort());
    for (const b of base) {
      const c = chart.find((o) => describeObject(o) === describeObject(b));
      if (c === undefined) throw new Error(`the chart has no ${describeObject(b)}`);
      expect(comparable(c), describeObject(b)).toEqual(comparable(b));
      expect(labelsOf(c)).toMatchObject(labelsOf(b));
      const template = (o: ManifestObject): unknown => (o['spec'] as { template?: unknown } | undefined)?.template;
      if (template(b) !== undefined) expect(labelsOf(template(c))).toMatchObject(labelsOf(template(b)));
    }
  });

  it('with the routing sidecar, installs what deploy/base with the component deploy/components/routing-sidecar does', async () => {
    const overlay = mkdtempSync(join(tmpdir(), 'purelb-overlay-'));
    try {
      mkdirSync(join(overlay, 'o'));
      const dir = (p: string): string => relative(join(overlay, 'o'), join(root, 'deploy', p));
      writeFileSync(
        join(overlay, 'o', 'kustomization.yaml'),
        `resources: [${dir('base')}]\ncomponents: [${dir('components/routing-sidecar')}]\n`,
      );
      const built = await runCommand(kustomize, ['build', join(overlay, 'o')]);
      expect(built.code, built.stderr).toBe(0);
      const withSidecar = parseManifests(built.stdout, 'kustomize build');
      const chart = (await render('purelb', 'purelb', { routingSidecar: { enabled: true } })).filter(
        (o) => o.kind !== 'LBNodeAgent',
      );
      expect(chart.map(describeObject).sort()).toEqual(withSidecar.map(describeObject).sort());
      for (const b of withSidecar)
        expect(comparable(chart.find((o) => describeObject(o) === describeObject(b)) ?? b), describeObject(b)).toEqual(
          comparable(b),
        );
      expect(chart.filter((o) => describeObject(o).startsWith('Role')).map(describeObject)).toContain(
        'Role purelb/purelb:routing-sidecar',
      );
    } finally {
      rmSync(overlay, { recursive: true, force: true });
    }
  });

  it('the chart’s LBNodeAgent has the values the agents use when there is none', async () => {
    const chart = await render('purelb', 'purelb', {});
    const example = loadKustomization(join(root, 'deploy', 'examples', 'documentation-ranges')).objects.find(
      (o) => o.kind === 'LBNodeAgent',
    );
    expect(chart.find((o) => o.kind === 'LBNodeAgent')?.['spec']).toEqual(example?.['spec']);
  });
});
