// The documented commands on clusters that have never seen PureLB (control planes of this file's
// own, without the CRDs or the namespace), with the real names: `kubectl apply -f install.yaml` in one
// step, then configuration, a second apply, `delete -k deploy/base` and `delete -f install.yaml`;
// and Helm installing the CRDs itself, the documented CRD upgrade, `helm upgrade` and `helm uninstall`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKubeClient, startControlPlane, waitUntil } from '@purelb/test-control-plane';
import type { ControlPlane, KubeClient } from '@purelb/test-control-plane';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObjects, deleteObjects, describeObject } from './apply-objects.ts';
import type { ApplyKind } from './apply-objects.ts';
import { CHART_DIR, runHelm } from './helm-chart.ts';
import { loadKustomization, parseManifests } from './load-kustomization.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { locateTool } from './locate-tool.ts';

const deploy = join(import.meta.dirname, '..', '..', '..', 'deploy');
const install = parseManifests(readFileSync(join(deploy, 'install.yaml'), 'utf8'), 'install.yaml');
const example = loadKustomization(join(deploy, 'examples', 'documentation-ranges')).objects;
const GROUPS = '/apis/purelb.io/v1/namespaces/purelb/servicegroups';

interface Cluster {
  readonly cp: ControlPlane;
  readonly rest: KubeClient;
}

async function emptyCluster(): Promise<Cluster> {
  const cp = await startControlPlane({ crdDir: null, namespaces: [] });
  return { cp, rest: await createKubeClient(cp.kubeconfigPath, { maxSockets: 4 }) };
}

async function stop(c: Cluster | undefined): Promise<void> {
  if (c === undefined) return;
  c.rest.close();
  await c.cp.stop();
}

async function apply(rest: KubeClient, objects: readonly ManifestObject[]): Promise<ApplyKind[]> {
  const res = await applyObjects(rest, objects, { fieldManager: 'kubectl' });
  if (!res.ok) throw new Error(`${res.error.object}: ${res.error.message}`);
  return res.value.map((o) => o.kind);
}

/** Applies objects whose kind may not be served yet (a CRD just created), retrying until it is. */
async function applyWhenServed(rest: KubeClient, objects: readonly ManifestObject[]): Promise<void> {
  await waitUntil(
    async () => {
      const res = await applyObjects(rest, objects, { fieldManager: 'kubectl' });
      if (res.ok) return { kind: 'done', value: undefined };
      return res.error.code === 'UnknownKind'
        ? { kind: 'pending', reason: res.error.message }
        : { kind: 'failed', reason: res.error.message };
    },
    { what: 'the configuration to be applied', timeoutMs: 30_000, intervalMs: 200 },
  );
}

const groupNames = async (rest: KubeClient): Promise<string[]> => {
  const res = await rest.get(GROUPS);
  return res.status === 200
    ? (res.body as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name).sort()
    : [];
};

describe('kubectl apply -f deploy/install.yaml on an empty cluster', () => {
  let c: Cluster | undefined;
  const rest = (): KubeClient => {
    if (c === undefined) throw new Error('no cluster');
    return c.rest;
  };
  beforeAll(async () => {
    c = await emptyCluster();
  }, 300_000);
  afterAll(() => stop(c), 60_000);

  it('installs in one step; the configuration follows; a second apply changes nothing', async () => {
    expect(await apply(rest(), install)).toEqual(install.map(() => 'created'));
    await applyWhenServed(rest(), example);
    expect(await groupNames(rest())).toEqual(['default', 'virtual']);
    expect(await apply(rest(), install)).toEqual(install.map(() => 'unchanged'));
  });

  it('kubectl delete -k deploy/base keeps the CRDs, the namespace and the groups', async () => {
    const base = loadKustomization(join(deploy, 'base')).objects;
    expect(await deleteObjects(rest(), base)).toEqual([]);
    expect(await groupNames(rest())).toEqual(['default', 'virtual']);
    expect((await rest().get('/api/v1/namespaces/purelb')).status).toBe(200);
  });

  it('kubectl delete -f deploy/install.yaml removes the CRDs, and the groups with them', async () => {
    expect(await deleteObjects(rest(), install)).toEqual([]);
    await waitUntil(
      async () => {
        const res = await rest().get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/servicegroups.purelb.io');
        return res.status === 404
          ? { kind: 'done', value: undefined }
          : { kind: 'pending', reason: `CRD still there (${res.status})` };
      },
      { what: 'the ServiceGroup CRD to be gone', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(await groupNames(rest())).toEqual([]);
  });
});

describe('helm on an empty cluster', () => {
  let c: Cluster | undefined;
  let helm: string;
  const values = {
    serviceGroup: { create: true, local: { v4pools: [{ pool: '198.51.100.16/28', subnet: '198.51.100.0/24' }] } },
  };
  const run = async (args: readonly string[], withValues: boolean): Promise<void> => {
    if (c === undefined) throw new Error('no cluster');
    const res = await runHelm(
      helm,
      [...args, '--namespace', 'purelb', '--kubeconfig', c.cp.kubeconfigPath],
      withValues ? values : undefined,
    );
    expect(res.code, `helm ${args.join(' ')}: ${res.stderr}`).toBe(0);
  };
  beforeAll(async () => {
    helm = await locateTool('helm');
    c = await emptyCluster();
  }, 900_000);
  afterAll(() => stop(c), 60_000);

  it('installs the CRDs from crds/ with the release, then the documented CRD upgrade and helm upgrade change nothing', async () => {
    if (c === undefined) throw new Error('no cluster');
    expect(await apply(c.rest, loadKustomization(join(deploy, 'namespace')).objects)).toEqual(['created']);
    await run(['install', 'purelb', CHART_DIR], true);
    expect(await groupNames(c.rest)).toEqual(['default']);
    // kubectl apply --server-side --force-conflicts -f deploy/helm/purelb/crds/
    const crds = loadKustomization(join(deploy, 'crds')).objects;
    const crdKinds = await apply(c.rest, crds);
    expect(crdKinds.every((k) => k !== 'created')).toBe(true);
    expect(await apply(c.rest, crds)).toEqual(crds.map(() => 'unchanged'));
    const before = await c.rest.get(`${GROUPS}/default`);
    await run(['upgrade', 'purelb', CHART_DIR, '--reuse-values'], false);
    const after = await c.rest.get(`${GROUPS}/default`);
    expect((after.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion).toBe(
      (before.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion,
    );
  });

  it('helm uninstall keeps the CRDs and the group from values', async () => {
    if (c === undefined) throw new Error('no cluster');
    await run(['uninstall', 'purelb'], false);
    expect(await groupNames(c.rest)).toEqual(['default']);
    for (const crd of loadKustomization(join(deploy, 'crds')).objects) {
      expect(
        (await c.rest.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`)).status,
        describeObject(crd),
      ).toBe(200);
    }
    expect((await c.rest.get('/apis/apps/v1/namespaces/purelb/deployments/allocator')).status).toBe(404);
  });
});
