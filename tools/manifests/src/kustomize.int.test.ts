// The kustomizations of deploy/ as `kubectl apply -k` sees them (the kustomize that kubectl 1.35
// embeds, built from the module proxy), and the documented install, upgrade and uninstall against
// the real API server, in a namespace of this test: apply twice changes nothing, an upgrade leaves
// the operator's ServiceGroups and LBNodeAgent exactly as the operator left them, and removing the
// software keeps the CRDs, the namespace and the configuration.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createKubeClient } from '@purelb/test-control-plane';
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeConfig } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyObjects, createResourceFinder, deleteObjects, describeObject, objectPath } from './apply-objects.ts';
import type { ApplyKind } from './apply-objects.ts';
import { loadKustomization, parseManifests } from './load-kustomization.ts';
import type { ManifestObject } from './load-kustomization.ts';
import { locateTool } from './locate-tool.ts';
import { relocate } from './relocate.ts';
import { runCommand } from './run-command.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const deploy = join(root, 'deploy');
const suffix = randomBytes(3).toString('hex');
const ns = `install-${suffix}`;
const move = (o: ManifestObject): ManifestObject =>
  relocate(o, { from: 'purelb', to: ns, clusterSuffix: `-${suffix}` });
const key = (o: ManifestObject): string => describeObject(o);
const resourceVersion = (body: Record<string, unknown>): string =>
  (body['metadata'] as { resourceVersion: string }).resourceVersion;
const byKey = (objects: readonly ManifestObject[]): ManifestObject[] =>
  [...objects].sort((a, b) => key(a).localeCompare(key(b)));

let kustomize: string;
let rest: KubeClient;
const work = mkdtempSync(join(tmpdir(), 'purelb-kustomize-'));

async function build(dir: string): Promise<ManifestObject[]> {
  const run = await runCommand(kustomize, ['build', dir]);
  expect(run.code, run.stderr).toBe(0);
  return parseManifests(run.stdout, `kustomize build ${dir}`);
}

async function apply(objects: readonly ManifestObject[], dryRun = false): Promise<Map<string, ApplyKind>> {
  const res = await applyObjects(rest, objects, { fieldManager: 'kubectl', dryRun });
  if (!res.ok) throw new Error(`${res.error.object}: ${res.error.message}`);
  return new Map(res.value.map((o) => [o.object, o.kind]));
}

async function current(o: ManifestObject): Promise<{ status: number; body: Record<string, unknown> }> {
  const info = await createResourceFinder(rest)(o);
  if (info === undefined) throw new Error(`no resource for ${o.kind}`);
  const res = await rest.get(objectPath(o, info));
  return { status: res.status, body: res.body as Record<string, unknown> };
}

beforeAll(async () => {
  kustomize = await locateTool('kustomize');
  rest = await createKubeClient(testKubeConfig(), { maxSockets: 4 });
}, 900_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rest.close();
});

describe('kustomize build', () => {
  it.each(['crds', 'namespace', 'base', 'examples/documentation-ranges'])(
    'deploy/%s renders exactly the objects this repository reads from it (install.yaml is made of those)',
    async (step) => {
      expect(byKey(await build(join(deploy, step)))).toEqual(byKey(loadKustomization(join(deploy, step)).objects));
    },
  );

  it('an overlay that points the images at a registry changes both images and nothing else', async () => {
    const overlay = join(work, 'my-cluster');
    mkdirSync(overlay, { recursive: true });
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      [
        'resources:',
        `  - ${relative(overlay, join(deploy, 'base'))}`,
        'images:',
        '  - name: purelb/allocator',
        '    newName: registry.example/purelb/allocator',
        '  - name: purelb/lbnodeagent',
        '    newName: registry.example/purelb/lbnodeagent',
      ].join('\n'),
    );
    const built = byKey(await build(overlay));
    expect(built).toEqual(byKey(loadKustomization(overlay).objects));
    const images = built.flatMap((o) => JSON.stringify(o).match(/"image":"[^"]+"/g) ?? []);
    expect(images.sort()).toEqual([
      '"image":"registry.example/purelb/allocator:0.1.0"',
      '"image":"registry.example/purelb/lbnodeagent:0.1.0"',
    ]);
  });
});

describe('install, upgrade and uninstall with kubectl apply -k / delete -k (server-side, as field manager kubectl)', () => {
  let software: ManifestObject[];
  let config: ManifestObject[];
  const versions = new Map<string, string>();

  it('installs: the CRDs, the namespace, then the software (a dry run first), accepted with strict field validation', async () => {
    const crds = await build(join(deploy, 'crds'));
    const namespace = (await build(join(deploy, 'namespace'))).map(move);
    const base = (await build(join(deploy, 'base'))).map(move);
    software = [...namespace, ...base];
    // The run's control plane has the CRDs already: this adds the field manager only.
    expect([...(await apply(crds)).values()].every((k) => k !== 'created')).toBe(true);
    expect([...(await apply(namespace)).values()]).toEqual(['created']);
    expect([...(await apply(base, true)).values()]).toEqual(base.map(() => 'created'));
    expect([...(await apply(base)).values()]).toEqual(base.map(() => 'created'));
  });

  it('the operator configures: the example groups and LBNodeAgent, then edits the LBNodeAgent by hand', async () => {
    config = (await build(join(deploy, 'examples', 'documentation-ranges'))).map(move);
    await apply(config);
    const lbna = config.find((o) => o.kind === 'LBNodeAgent');
    if (lbna === undefined) throw new Error('no LBNodeAgent in the example');
    const edit = await rest.patch(`/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents/default`, {
      spec: { local: { localint: '^eth[0-9]+$' } },
    });
    expect(edit.status).toBe(200);
    for (const o of config) versions.set(key(o), resourceVersion((await current(o)).body));
  });

  it('upgrades: applying the CRDs, the namespace and the software again changes nothing, the configuration included', async () => {
    const again = await apply([...(await build(join(deploy, 'crds'))), ...software]);
    expect([...again.entries()].filter(([, k]) => k !== 'unchanged')).toEqual([]);
    for (const o of config) {
      expect(resourceVersion((await current(o)).body), key(o)).toBe(versions.get(key(o)));
    }
    const lbna = await rest.get(`/apis/purelb.io/v1/namespaces/${ns}/lbnodeagents/default`);
    expect((lbna.body as { spec: unknown }).spec).toEqual({
      local: { localint: '^eth[0-9]+$', extlbint: 'kube-lb0', sendgarp: true },
    });
  });

  it('kubectl apply -f deploy/install.yaml is the same install: nothing changes either', async () => {
    const install = parseManifests(readFileSync(join(deploy, 'install.yaml'), 'utf8'), 'install.yaml').map(move);
    const again = await apply(install);
    expect([...again.entries()].filter(([, k]) => k !== 'unchanged')).toEqual([]);
  });

  it('uninstalls with kubectl delete -k deploy/base: the daemons go, the CRDs, the namespace and the configuration stay', async () => {
    const base = software.filter((o) => o.kind !== 'Namespace');
    expect(await deleteObjects(rest, base)).toEqual([]);
    for (const o of base) expect((await current(o)).status, key(o)).toBe(404);
    for (const o of [...config, ...software.filter((x) => x.kind === 'Namespace')])
      expect((await current(o)).status, key(o)).toBe(200);
    for (const crd of await build(join(deploy, 'crds'))) expect((await current(crd)).status, key(crd)).toBe(200);
  });
});
