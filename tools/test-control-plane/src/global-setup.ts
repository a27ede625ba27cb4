// Vitest global setup of the `integration` project: one control plane for the whole run.
import type { TestProject } from 'vitest/node';
import { startControlPlane } from './start-control-plane.ts';
import './provided-context.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const controlPlane = await startControlPlane();
  project.provide('kubeconfigPath', controlPlane.kubeconfigPath);
  project.provide('controlPlaneStatePath', controlPlane.statePath);
  // For processes the tests spawn (daemons under test): they inherit the environment.
  process.env['PURELB_TEST_KUBECONFIG'] = controlPlane.kubeconfigPath;
  return async () => {
    await controlPlane.stop();
  };
}
