// The set-up every allocator integration test file shares, registered as Vitest hooks: a control plane
// (the run's shared one or a private one), an install namespace with ServiceGroups, a namespace for
// Services, optionally one allocator for the whole file; and the clean-up: allocators stopped (the
// file's own must exit 0 and log no crash), Services deleted, private control plane stopped.
// Waits never outlast the current test: they give up first, with their own message.
import { performance } from 'node:perf_hooks';
import { DEFAULT_WAIT_MS, startControlPlane } from '@purelb/test-control-plane';
import type { ControlPlane, KubeClient } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { stopAndReport } from './allocator-process.ts';
import type { AllocatorProcess } from './allocator-process.ts';
import { bindTestCluster, createNamespace, createTestApi, spawnAllocator } from './fixtures.ts';
import type { Pools, TestCluster } from './fixtures.ts';

export interface SceneOptions {
  /** Prefix of the namespaces and of the allocator's identity. */
  readonly name: string;
  /** `private`: a control plane of the file's own (e.g. to restart its API server). Default `shared`. */
  readonly controlPlane?: 'shared' | 'private';
  /** ServiceGroups created in the install namespace before anything starts. */
  readonly groups?: Readonly<Record<string, Pools>>;
  /**
   * One allocator for the whole file, started once it allocates (default), or none. At the end it is
   * stopped with `stopSignal` (default SIGTERM) and must exit 0 without crash lines.
   */
  readonly allocator?: { readonly extraArgs?: readonly string[]; readonly stopSignal?: NodeJS.Signals } | 'none';
}

export interface AllocatorScene extends TestCluster {
  readonly kubeconfigPath: string;
  /** The file's private control plane (undefined on the shared one). */
  readonly controlPlane: ControlPlane | undefined;
  /** The file's allocator (not with `allocator: 'none'`). */
  readonly allocator: AllocatorProcess;
  /** Starts an allocator for the current test; one still running when the test ends is killed. */
  spawn(
    identity: string,
    options?: { readonly install?: string; readonly nodeArgs?: readonly string[] },
  ): AllocatorProcess;
  /** A fresh install namespace and Service namespace for one test, cleaned up when the test ends. */
  fresh(prefix: string): Promise<TestCluster>;
  /** How long a wait may take now: `wantedMs` (default 60 s), but never past the end of the current test. */
  budget(wantedMs?: number): number;
}

/** A wait gives up this long before the test runner would, so that its own message is the failure. */
const MARGIN_MS = 5_000;
/** Hook time assumed for waits outside a test (Vitest's hookTimeout for the integration project). */
const HOOK_MS = 120_000;

export function useAllocatorScene(options: SceneOptions): AllocatorScene {
  let api: KubeClient | undefined;
  let cluster: TestCluster | undefined;
  let kubeconfigPath = '';
  let controlPlane: ControlPlane | undefined;
  let allocator: AllocatorProcess | undefined;
  let endsAt = performance.now() + HOOK_MS - MARGIN_MS;
  const perTest: AllocatorProcess[] = [];
  const freshClusters: TestCluster[] = [];

  const budget = (wantedMs = DEFAULT_WAIT_MS): number =>
    Math.max(0, Math.min(wantedMs, Math.floor(endsAt - performance.now())));
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the allocator scene has no ${what} (outside a test, or not asked for)`);
    return value;
  };

  beforeAll(async () => {
    endsAt = performance.now() + HOOK_MS - MARGIN_MS;
    if (options.controlPlane === 'private') {
      controlPlane = await startControlPlane();
      kubeconfigPath = controlPlane.kubeconfigPath;
    } else {
      kubeconfigPath = testKubeconfigPath();
    }
    api = await createTestApi(kubeconfigPath);
    const install = await createNamespace(api, `${options.name}-install`);
    const ns = await createNamespace(api, options.name);
    cluster = bindTestCluster(api, { install, ns, budget });
    for (const [name, pools] of Object.entries(options.groups ?? {})) await cluster.createGroup(name, pools);
    if (options.allocator !== 'none') {
      allocator = spawnAllocator({
        kubeconfigPath,
        namespace: install,
        identity: `${options.name}-1`,
        ...(options.allocator?.extraArgs === undefined ? {} : { extraArgs: options.allocator.extraArgs }),
      });
      await allocator.waitForLog((l) => l.event === 'allocating', budget());
    }
  }, HOOK_MS);

  beforeEach((context) => {
    endsAt = performance.now() + context.task.timeout - MARGIN_MS;
  });

  afterEach(async () => {
    endsAt = performance.now() + HOOK_MS - MARGIN_MS;
    for (const p of perTest.splice(0)) {
      p.child.kill('SIGCONT');
      await p.stop('SIGKILL');
    }
    for (const c of freshClusters.splice(0)) await c.deleteAllServices();
  }, HOOK_MS);

  afterAll(async () => {
    endsAt = performance.now() + HOOK_MS - MARGIN_MS;
    const signal = options.allocator === 'none' ? undefined : options.allocator?.stopSignal;
    const report = allocator === undefined ? undefined : await stopAndReport(allocator, signal);
    await cluster?.deleteAllServices();
    api?.close();
    await controlPlane?.stop();
    if (report !== undefined) {
      expect(report.crashes).toEqual([]);
      expect(report.exit).toEqual({ code: 0, signal: null });
    }
  }, HOOK_MS);

  const c = (): TestCluster => need(cluster, 'cluster');
  return {
    get kubeconfigPath() {
      return kubeconfigPath;
    },
    get controlPlane() {
      return controlPlane;
    },
    get allocator() {
      return need(allocator, 'allocator');
    },
    get api() {
      return c().api;
    },
    get install() {
      return c().install;
    },
    get ns() {
      return c().ns;
    },
    spawn: (identity, spawnOptions = {}) => {
      const p = spawnAllocator({
        kubeconfigPath,
        namespace: spawnOptions.install ?? c().install,
        identity,
        ...(spawnOptions.nodeArgs === undefined ? {} : { nodeArgs: spawnOptions.nodeArgs }),
      });
      perTest.push(p);
      return p;
    },
    fresh: async (prefix) => {
      const a = need(api, 'API client');
      const fresh = bindTestCluster(a, {
        install: await createNamespace(a, `${prefix}-install`),
        ns: await createNamespace(a, prefix),
        budget,
      });
      freshClusters.push(fresh);
      return fresh;
    },
    budget,
    createGroup: (name, pools) => c().createGroup(name, pools),
    getGroup: (name) => c().getGroup(name),
    patchGroupPools: (name, pools) => c().patchGroupPools(name, pools),
    deleteGroup: (name) => c().deleteGroup(name),
    waitForGroup: (name, what, pred) => c().waitForGroup(name, what, pred),
    createService: (name, shape) => c().createService(name, shape),
    getService: (name) => c().getService(name),
    listServices: () => c().listServices(),
    patchService: (name, patch) => c().patchService(name, patch),
    deleteService: (name) => c().deleteService(name),
    deleteAllServices: () => c().deleteAllServices(),
    listEvents: (name, where) => c().listEvents(name, where),
    waitForAllocated: (name, waitOptions) => c().waitForAllocated(name, waitOptions),
    waitForReason: (name, reason, waitOptions) => c().waitForReason(name, reason, waitOptions),
    waitForEvent: (name, reason, where) => c().waitForEvent(name, reason, where),
    waitFor: (what, probe, waitOptions) => c().waitFor(what, probe, waitOptions),
  };
}
