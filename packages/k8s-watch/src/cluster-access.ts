// What this library needs of a client configuration: where the API server is, and how to put TLS
// material and credentials on a request. `KubeConfig` of @kubernetes/client-node has both methods;
// `loadClusterAccess` gives a light one that does not load that package.
import type { RequestOptions } from 'node:https';

/** The API server of the configuration's current context. */
export interface ClusterEndpoint {
  /** `https://host:port` (a trailing slash is ignored). */
  readonly server: string;
  /** Requests go through this proxy; they then get no pooled keep-alive agent from this library. */
  readonly proxyUrl?: string | undefined;
}

export interface ClusterAccess {
  /** The current context's cluster, or null when the configuration names none. */
  getCurrentCluster(): ClusterEndpoint | null;
  /** Puts the CA, client certificate and key, server name, credentials (headers, `auth`) on `options`. */
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}
