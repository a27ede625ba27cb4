// The run's shared control plane, as other packages' integration tests see it.
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { createTestNamespace } from './test-namespace.ts';
import { testControlPlane, testKubeConfig, testKubeconfigPath } from './vitest.ts';

describe('the integration global setup', () => {
  it('provides a kubeconfig path, also in PURELB_TEST_KUBECONFIG', () => {
    expect(testKubeconfigPath()).toMatch(/\/kubeconfig$/);
    expect(process.env['PURELB_TEST_KUBECONFIG']).toBe(testKubeconfigPath());
  });

  it('creates unique, labelled test namespaces', async () => {
    const kc = testKubeConfig();
    const a = await createTestNamespace(kc, 'shared');
    const b = await createTestNamespace(kc, 'shared');
    expect(a).not.toBe(b);
    const ns = await kc.makeApiClient(CoreV1Api).readNamespace({ name: a });
    expect(ns.metadata?.labels?.['purelb.io/test']).toBe('true');
  });

  it('serves the purelb.io CRDs in the install namespace', async () => {
    const list = (await testKubeConfig().makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'purelb.io',
      version: 'v1',
      namespace: 'purelb',
      plural: 'lbnodeagents',
    })) as { kind: string };
    expect(list.kind).toBe('LBNodeAgentList');
  });

  it('offers a handle over the shared control plane', () => {
    const cp = testControlPlane();
    expect(cp.kubeconfigPath).toBe(testKubeconfigPath());
    expect(cp.isRunning()).toBe(true);
  });
});
