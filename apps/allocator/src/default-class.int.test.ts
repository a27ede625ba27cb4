// `--default-class=false`: Services without spec.loadBalancerClass belong to someone else.
import type { KubeClient } from '@purelb/test-control-plane';
import { testKubeconfigPath } from '@purelb/test-control-plane/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllocatorProcess } from './testing/allocator-process.ts';
import {
  createTestApi,
  spawnAllocator,
  allocatedCondition,
  createGroup,
  createNamespace,
  createService,
  deleteAllServices,
  getService,
  ingressIps,
  listEvents,
  waitForAllocated,
} from './testing/fixtures.ts';

let api: KubeClient;
let install: string;
let ns: string;
let allocator: AllocatorProcess;
const annotations = { 'purelb.io/service-group': 'classy' };

beforeAll(async () => {
  const kubeconfigPath = testKubeconfigPath();
  api = await createTestApi(kubeconfigPath);
  install = await createNamespace(api, 'class-install');
  ns = await createNamespace(api, 'class');
  await createGroup(api, install, 'classy', { v4pools: [{ pool: '192.0.2.64/28', subnet: '192.0.2.0/24' }] });
  allocator = spawnAllocator({ kubeconfigPath, namespace: install, identity: 'class-1', extraArgs: ['--default-class=false'] });
  await allocator.waitForLog((l) => l.event === 'allocating');
});

afterAll(async () => {
  const exit = await allocator.stop('SIGINT');
  await deleteAllServices(api, ns);
  api.close();
  expect(exit).toEqual({ code: 0, signal: null });
});

describe('--default-class=false', () => {
  it('leaves Services without a class alone and allocates those that name purelb.io/purelb', async () => {
    await createService(api, ns, 'unclassed', { annotations });
    await createService(api, ns, 'classed', { annotations, loadBalancerClass: 'purelb.io/purelb' });
    expect(ingressIps(await waitForAllocated(api, ns, 'classed'))).toEqual(['192.0.2.64']);
    const unclassed = await getService(api, ns, 'unclassed');
    expect(ingressIps(unclassed)).toEqual([]);
    expect(allocatedCondition(unclassed)).toBeUndefined();
    expect(await listEvents(api, ns, 'unclassed')).toEqual([]);
    expect(allocator.logs.some((l) => l.event === 'started' && l.defaultClass === false)).toBe(true);
  });
});
