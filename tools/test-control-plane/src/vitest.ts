// Helpers for integration tests run by Vitest's `integration` project, whose global setup
// (`global-setup.ts`) starts one control plane for the whole run.
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import type { ControlPlane } from './control-plane.ts';
import { attachControlPlane } from './start-control-plane.ts';
import { loadKubeConfig } from './test-namespace.ts';
import './provided-context.ts';

/** The kubeconfig path of the run's control plane. */
export function testKubeconfigPath(): string {
  return inject('kubeconfigPath');
}

/** A KubeConfig for the run's control plane (admin, system:masters). */
export function testKubeConfig(): KubeConfig {
  return loadKubeConfig(testKubeconfigPath());
}

/**
 * A handle over the run's shared control plane, e.g. to restart its API server. Test files run one
 * at a time, so a restart only disturbs the file that asks for it. Do not call `stop()` on it.
 */
export function testControlPlane(): ControlPlane {
  return attachControlPlane(inject('controlPlaneStatePath'));
}
