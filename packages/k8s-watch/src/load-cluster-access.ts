// A client configuration without @kubernetes/client-node: in-cluster (service account token and CA)
// or a kubeconfig file with client certificates, a token, a token file or basic auth. Files are read
// again once they are a minute old, so rotated tokens and certificates are picked up. A kubeconfig
// that needs more (an exec or auth-provider plugin, a proxy) is handed to client-node's KubeConfig,
// loaded only then: the daemons do not pay for the generated API clients they never call.
import { readFile } from 'node:fs/promises';
import type { RequestOptions } from 'node:https';
import { isIPv6 } from 'node:net';
import { dirname, join } from 'node:path';
import type { ClusterAccess } from './cluster-access.ts';
import { readCredentials } from './kubeconfig-file.ts';
import type { Credentials, Material } from './kubeconfig-file.ts';

/** Where the service account's token, CA and namespace are mounted in a pod. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Files (token, CA, certificate, key) are read again once this old. */
const REFRESH_MS = 60_000;

export type ClusterAccessSource =
  | {
      readonly kind: 'in-cluster';
      /** Default `process.env` (`KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`). */
      readonly env?: Readonly<Record<string, string | undefined>>;
      /** Default `SERVICE_ACCOUNT_DIR`. */
      readonly serviceAccountDir?: string;
    }
  | { readonly kind: 'file'; readonly path: string };

/** Closed, but may grow in a minor release: keep a default branch. */
export type LoadClusterAccessFailureCode = 'NotInCluster' | 'Unreadable' | 'Malformed' | 'NoCurrentCluster';

export interface LoadClusterAccessFailure {
  readonly code: LoadClusterAccessFailureCode;
  readonly message: string;
}

export type LoadClusterAccessResult =
  | { readonly ok: true; readonly value: ClusterAccess }
  | { readonly ok: false; readonly error: LoadClusterAccessFailure };

export interface LoadClusterAccessOptions {
  /** Monotonic milliseconds, for re-reading files. Default `performance.now`. */
  readonly now?: () => number;
}

const fail = (code: LoadClusterAccessFailureCode, message: string): LoadClusterAccessResult => ({
  ok: false,
  error: { code, message },
});

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function loadClusterAccess(
  source: ClusterAccessSource,
  options: LoadClusterAccessOptions = {},
): Promise<LoadClusterAccessResult> {
  const now = options.now ?? (() => performance.now());
  if (source.kind === 'in-cluster') {
    const credentials = inClusterCredentials(source);
    if (!credentials.ok) return credentials;
    try {
      return { ok: true, value: await lightAccess(credentials.value, now) };
    } catch (error) {
      return fail('Unreadable', `the service account: ${messageOf(error)}`);
    }
  }
  let text: string;
  try {
    text = await readFile(source.path, 'utf8');
  } catch (error) {
    return fail('Unreadable', `cannot read ${source.path}: ${messageOf(error)}`);
  }
  const read = await readCredentials(text, dirname(source.path));
  switch (read.kind) {
    case 'malformed':
      return fail('Malformed', `${source.path}: ${read.message}`);
    case 'no-current-cluster':
      return fail('NoCurrentCluster', `${source.path} names no current cluster`);
    case 'needs-client-node':
      return viaClientNode(source.path);
    case 'credentials':
      try {
        return { ok: true, value: await lightAccess(read.credentials, now) };
      } catch (error) {
        return fail('Unreadable', `${source.path}: ${messageOf(error)}`);
      }
  }
}

type InCluster =
  { readonly ok: true; readonly value: Credentials } | { readonly ok: false; readonly error: LoadClusterAccessFailure };

function inClusterCredentials(source: Extract<ClusterAccessSource, { kind: 'in-cluster' }>): InCluster {
  const env = source.env ?? process.env;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (host === undefined || host === '' || port === undefined || port === '') {
    return {
      ok: false,
      error: { code: 'NotInCluster', message: 'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not both set' },
    };
  }
  const dir = source.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  return {
    ok: true,
    value: {
      // Always TLS, as client-go's in-cluster configuration.
      server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
      ca: { kind: 'file', path: join(dir, 'ca.crt') },
      token: { kind: 'file', path: join(dir, 'token') },
      skipTLSVerify: false,
    },
  };
}

/** Reads a file once, then again when asked after `REFRESH_MS`; a failed re-read keeps the last contents. */
function refreshing(path: string, now: () => number): () => Promise<Buffer> {
  let last: { readonly at: number; readonly value: Buffer } | undefined;
  return async () => {
    if (last !== undefined && now() - last.at < REFRESH_MS) return last.value;
    try {
      last = { at: now(), value: await readFile(path) };
    } catch (error) {
      if (last === undefined) throw error;
      last = { at: now(), value: last.value };
    }
    return last.value;
  };
}

function source(material: Material | undefined, now: () => number): (() => Promise<Buffer>) | undefined {
  if (material === undefined) return undefined;
  if (material.kind === 'data') return () => Promise.resolve(material.value);
  return refreshing(material.path, now);
}

/** The credentials as a `ClusterAccess`; files are read once now, so that a missing one fails the load. */
async function lightAccess(credentials: Credentials, now: () => number): Promise<ClusterAccess> {
  const ca = source(credentials.ca, now);
  const cert = source(credentials.cert, now);
  const key = source(credentials.key, now);
  const token = source(credentials.token, now);
  await Promise.all([ca?.(), cert?.(), key?.(), token?.()]);
  const endpoint = { server: credentials.server.replace(/\/+$/, ''), proxyUrl: undefined };
  return {
    getCurrentCluster: () => endpoint,
    applyToHTTPSOptions: async (options: RequestOptions) => {
      const headers: Record<string, string> = {};
      if (credentials.skipTLSVerify) options.rejectUnauthorized = false;
      if (credentials.tlsServerName !== undefined) options.servername = credentials.tlsServerName;
      if (ca !== undefined) options.ca = await ca();
      if (cert !== undefined) options.cert = await cert();
      if (key !== undefined) options.key = await key();
      if (token !== undefined) headers.Authorization = `Bearer ${(await token()).toString('utf8').trim()}`;
      if (credentials.impersonate !== undefined) headers['Impersonate-User'] = credentials.impersonate;
      if (credentials.basic !== undefined) options.auth = `${credentials.basic.username}:${credentials.basic.password}`;
      options.headers = { ...(options.headers as Record<string, string> | undefined), ...headers };
    },
  };
}

async function viaClientNode(path: string): Promise<LoadClusterAccessResult> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(path);
  } catch (error) {
    return fail('Malformed', `${path}: ${messageOf(error)}`);
  }
  if (kubeConfig.getCurrentCluster() === null) return fail('NoCurrentCluster', `${path} names no current cluster`);
  return { ok: true, value: kubeConfig };
}
