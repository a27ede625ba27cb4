// Helpers for integration tests run by Vitest's `integration` project, whose global setup
// (`global-setup.ts`) starts one control plane for the whole run.
import type { KubeConfig } from '@kubernetes/client-node';
import { inject } from 'vitest';
import { adminConnection, apiRequest } from './api-request.ts';
import type { AdminConnection, ApiRequest, ApiResponse } from './api-request.ts';
import type { ControlPlane } from './control-plane.ts';
import { readState } from './control-plane-state.ts';
import { attachControlPlane } from './start-control-plane.ts';
import { loadKubeConfig } from './test-namespace.ts';
import './provided-context.ts';

export type { ApiRequest, ApiResponse } from './api-request.ts';

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

let admin: AdminConnection | undefined;

/**
 * One raw HTTPS request to the run's control plane as its admin, e.g. to see a Status message exactly
 * as the API server words it, or to ask for a Table. Transport failures come back as values.
 */
export function testAdminRequest(req: ApiRequest): Promise<ApiResponse> {
  if (admin === undefined) {
    const state = readState(inject('controlPlaneStatePath'));
    admin = adminConnection(state.server, state.pki);
  }
  return apiRequest(admin, req);
}
