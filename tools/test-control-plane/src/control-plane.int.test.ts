// The harness itself, on a control plane of its own (not the run's shared one): start, use through
// client-node, restart the API server (objects kept; 410 Gone when etcd was compacted), stop.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, V1ConfigMap, V1ObjectMeta } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConnection, apiRequest } from './api-request.ts';
import type { AdminConnection } from './api-request.ts';
import type { ControlPlane } from './control-plane.ts';
import { readState } from './control-plane-state.ts';
import type { ControlPlaneState } from './control-plane-state.ts';
import { isRunning } from './managed-process.ts';
import { attachControlPlane, startControlPlane } from './start-control-plane.ts';
import { createTestNamespace, loadKubeConfig } from './test-namespace.ts';

let cp: ControlPlane;
let conn: AdminConnection;

beforeAll(async () => {
  cp = await startControlPlane();
  conn = adminConnection(cp.server, readState(cp.statePath).pki);
});
afterAll(async () => {
  await cp.stop();
});

function configMap(name: string): V1ConfigMap {
  const cm = new V1ConfigMap();
  cm.metadata = new V1ObjectMeta();
  cm.metadata.name = name;
  cm.data = { k: 'v' };
  return cm;
}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const res = await apiRequest(conn, { method: 'GET', path, timeoutMs: 20_000 });
  if (res.kind !== 'response') throw new Error(res.error);
  return { status: res.status, body: JSON.parse(res.body) as unknown };
}

describe('startControlPlane', () => {
  it('serves the API to client-node through the kubeconfig it wrote', async () => {
    const core = loadKubeConfig(cp.kubeconfigPath).makeApiClient(CoreV1Api);
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'purelb']));
    expect(cp.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cp.kubeconfigYaml).toContain(`server: ${cp.server}`);
  });

  it('has the project CRDs established, with their short names', async () => {
    const { status, body } = await getJson('/apis/purelb.io/v1');
    expect(status).toBe(200);
    const resources = (body as { resources: { name: string; shortNames?: string[] }[] }).resources;
    expect(resources.filter((r) => !r.name.includes('/')).map((r) => [r.name, r.shortNames])).toEqual(
      expect.arrayContaining([
        ['servicegroups', ['sg']],
        ['lbnodeagents', ['lbna']],
      ]),
    );
  });

  it('authorises the admin as system:masters', async () => {
    const res = await apiRequest(conn, {
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb: '*', resource: '*' } },
      },
    });
    expect(res.kind === 'response' && (JSON.parse(res.body) as { status: { allowed: boolean } }).status.allowed).toBe(
      true,
    );
  });
});

describe('restartApiServer', () => {
  it('keeps objects, the port and etcd; only the API server process changes', async () => {
    const kc = loadKubeConfig(cp.kubeconfigPath);
    const ns = await createTestNamespace(kc, 'restart');
    await kc.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: ns, body: configMap('kept') });
    const before: ControlPlaneState = readState(cp.statePath);

    await cp.restartApiServer();

    const after = readState(cp.statePath);
    expect(after.apiServer.pid).not.toBe(before.apiServer.pid);
    expect(isRunning(before.apiServer)).toBe(false);
    expect(after.etcd.pid).toBe(before.etcd.pid);
    expect(after.server).toBe(before.server);
    const read = await loadKubeConfig(cp.kubeconfigPath)
      .makeApiClient(CoreV1Api)
      .readNamespacedConfigMap({ namespace: ns, name: 'kept' });
    expect(read.data).toEqual({ k: 'v' });
  });

  it('with compactEtcd, makes a watch resumed from an older resourceVersion end with 410 Expired', async () => {
    const kc = loadKubeConfig(cp.kubeconfigPath);
    const ns = await createTestNamespace(kc, 'gone');
    const created = await kc
      .makeApiClient(CoreV1Api)
      .createNamespacedConfigMap({ namespace: ns, body: configMap('a') });
    const rv = created.metadata?.resourceVersion ?? '';
    const watchPath = `/api/v1/namespaces/${ns}/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=2`;

    // Without a restart the watch cache still has the history: the watch just runs.
    const live = await apiRequest(conn, { method: 'GET', path: watchPath, timeoutMs: 20_000 });
    expect(live.kind === 'response' ? live.body : live.error).not.toContain('"code":410');

    await cp.restartApiServer({ compactEtcd: true });

    const res = await apiRequest(conn, { method: 'GET', path: watchPath, timeoutMs: 20_000 });
    if (res.kind !== 'response') throw new Error(res.error);
    const first = JSON.parse(res.body.split('\n')[0]!) as { type: string; object: { code: number; reason: string } };
    expect(first.type).toBe('ERROR');
    expect(first.object.code).toBe(410);
    expect(first.object.reason).toBe('Expired');
  });
});

describe('compactEtcd', () => {
  it("removes etcd's history before the revision it returns", async () => {
    const revision = await cp.compactEtcd();
    expect(revision).toBeGreaterThan(1);
    const res = await fetch(`${cp.etcdUrl}/v3/kv/range`, {
      method: 'POST',
      body: JSON.stringify({ key: Buffer.from('/registry').toString('base64'), revision: String(revision - 1) }),
    });
    expect(await res.text()).toContain('required revision has been compacted');
  });
});

describe('attachControlPlane', () => {
  it('gives another handle over the same processes; the owner still stops what it restarted', async () => {
    const other = attachControlPlane(cp.statePath);
    expect(other.server).toBe(cp.server);
    expect(other.isRunning()).toBe(true);
    await other.restartApiServer();
    expect(cp.isRunning()).toBe(true);
  });
});

describe('stop', () => {
  it('leaves no process and no directory, and a second stop does nothing', async () => {
    const own = await startControlPlane({ crdDir: null, namespaces: [] });
    const state = readState(own.statePath);
    expect(isRunning(state.apiServer) && isRunning(state.etcd)).toBe(true);

    await own.stop();

    expect(isRunning(state.apiServer)).toBe(false);
    expect(isRunning(state.etcd)).toBe(false);
    expect(existsSync(own.dir)).toBe(false);
    expect(own.isRunning()).toBe(false);
    await own.stop();
  });
});

describe('an owner that dies without stopping', () => {
  it('leaves no process and no directory, even when killed with SIGKILL', async () => {
    const entry = join(import.meta.dirname, 'start-control-plane.ts');
    const script =
      `const { startControlPlane } = await import(${JSON.stringify(entry)});` +
      `const cp = await startControlPlane({ crdDir: null, namespaces: [], progress: () => {} });` +
      `console.log(cp.statePath); setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const statePath = await new Promise<string>((resolve, reject) => {
      owner.stdout.setEncoding('utf8').once('data', (line: string) => {
        resolve(line.trim());
      });
      owner.once('exit', (code) => {
        reject(new Error(`the owner exited (${code})`));
      });
    });
    const state = readState(statePath);
    expect(isRunning(state.apiServer) && isRunning(state.etcd)).toBe(true);

    owner.kill('SIGKILL');

    await expect.poll(() => isRunning(state.apiServer) || isRunning(state.etcd), { timeout: 15_000 }).toBe(false);
    await expect.poll(() => existsSync(state.dir), { timeout: 15_000 }).toBe(false);
  });
});
