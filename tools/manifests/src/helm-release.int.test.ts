// The chart installed by Helm itself against the real API server, in a namespace of this test:
// `helm install` (after a server-side dry run) creates what `helm template` shows, `helm upgrade`
// with the same values changes no object, an upgrade with another log level changes the two daemons
// only, and `helm uninstall` removes the release but keeps its ServiceGroup and the CRDs.
import { randomBytes } from 'node:crypto';
import { createKubeClient, createTestNamespace } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig, testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResourceFinder, describeObject, objectPath } from './apply-objects.ts';
import { CHART_DIR, renderChart, runHelm } from './helm-chart.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { locateTool } from './locate-tool.ts';

const release = `purelb-${randomBytes(3).toString('hex')}`;
const values = {
  serviceGroup: {
    create: true,
    local: { v4pools: [{ pool: '198.51.100.16/28', subnet: '198.51.100.0/24', aggregation: '/32' }] },
  },
};

let helm: string;
let rest: KubeClient;
let namespace: string;
let objects: ManifestObject[];

/** Runs helm on the test's release namespace; `withValues` adds the values file. */
const helmRun = async (args: readonly string[], withValues = true): Promise<string> => {
  const res = await runHelm(
    helm,
    [...args, '--namespace', namespace, '--kubeconfig', testKubeconfigPath()],
    withValues ? values : undefined,
  );
  expect(res.code, `helm ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
};

/** resourceVersion of each object, or `absent`. */
async function versions(): Promise<Map<string, string>> {
  const find = createResourceFinder(rest);
  const out = new Map<string, string>();
  for (const o of objects) {
    const info = await find(o);
    if (info === undefined) throw new Error(`no resource for ${o.kind}`);
    const res = await rest.get(objectPath(o, info));
    out.set(
      describeObject(o),
      res.status === 404 ? 'absent' : (res.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
    );
  }
  return out;
}

const changedBetween = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): string[] =>
  [...a.keys()].filter((k) => a.get(k) !== b.get(k)).sort();

beforeAll(async () => {
  helm = await locateTool('helm');
  rest = await createKubeClient(testKubeConfig(), { maxSockets: 4 });
  namespace = await createTestNamespace(testKubeConfig(), 'helm-release');
  const rendered = await renderChart({ helm, release, namespace, values });
  if (!rendered.ok) throw new Error(rendered.error);
  objects = rendered.value;
}, 900_000);

afterAll(() => {
  rest.close();
});

describe('helm install, upgrade and uninstall', () => {
  let installed: Map<string, string>;

  it('install: a server-side dry run creates nothing, then the release creates every object of helm template', async () => {
    await helmRun(['install', release, CHART_DIR, '--dry-run=server']);
    expect([...(await versions()).values()].every((v) => v === 'absent')).toBe(true);
    const notes = await helmRun(['install', release, CHART_DIR]);
    expect(notes).toContain(`ServiceGroup default: kubectl -n ${namespace} get sg default`);
    installed = await versions();
    expect([...installed.entries()].filter(([, v]) => v === 'absent')).toEqual([]);
  });

  it('upgrade with the same values changes no object', async () => {
    await helmRun(['upgrade', release, CHART_DIR]);
    expect(changedBetween(installed, await versions())).toEqual([]);
  });

  it('upgrade with another log level changes the two daemons and nothing else', async () => {
    await helmRun(['upgrade', release, CHART_DIR, '--set', 'logLevel=debug']);
    expect(changedBetween(installed, await versions())).toEqual([
      `DaemonSet ${namespace}/lbnodeagent`,
      `Deployment ${namespace}/allocator`,
    ]);
  });

  it('uninstall removes every object but the ServiceGroup; the CRDs stay', async () => {
    await helmRun(['uninstall', release], false);
    const after = await versions();
    expect([...after.entries()].filter(([, v]) => v !== 'absent').map(([k]) => k)).toEqual([
      `ServiceGroup ${namespace}/default`,
    ]);
    for (const crd of ['servicegroups.purelb.io', 'lbnodeagents.purelb.io']) {
      expect((await rest.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`)).status).toBe(200);
    }
  });
});
