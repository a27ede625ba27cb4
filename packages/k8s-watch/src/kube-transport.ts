// The real WatchTransport: list and watch requests over HTTPS with the kubeconfig's credentials.
import type { KubeConfig } from '@kubernetes/client-node';
import type { WatchTransport } from './watch-types.ts';

export function createKubeTransport(_kubeConfig: KubeConfig): WatchTransport {
  throw new Error('createKubeTransport: not implemented yet');
}
