// The values the integration project's global setup hands to tests through `inject()`.
import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The kubeconfig of the run's control plane. */
    kubeconfigPath: string;
    /** Its state file (see `attachControlPlane`). */
    controlPlaneStatePath: string;
  }
}
