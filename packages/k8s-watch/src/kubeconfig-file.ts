// The current context of a kubeconfig file, read into the credentials a request needs, or the
// verdict that it needs client-node (exec or auth-provider plugins, a proxy).
import { isAbsolute, join } from 'node:path';

/** A certificate, key or token: inline (base64 data or a literal token) or a file read when needed. */
export type Material =
  { readonly kind: 'data'; readonly value: Buffer } | { readonly kind: 'file'; readonly path: string };

export interface Credentials {
  readonly server: string;
  readonly ca?: Material;
  readonly cert?: Material;
  readonly key?: Material;
  /** A bearer token (its text, trimmed). */
  readonly token?: Material;
  readonly skipTLSVerify: boolean;
  readonly tlsServerName?: string;
  readonly basic?: { readonly username: string; readonly password: string };
  /** `Impersonate-User`. */
  readonly impersonate?: string;
}

export type KubeconfigReading =
  | { readonly kind: 'credentials'; readonly credentials: Credentials }
  | { readonly kind: 'needs-client-node' }
  | { readonly kind: 'no-current-cluster' }
  | { readonly kind: 'malformed'; readonly message: string };

type Entry = Readonly<Record<string, unknown>>;

const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Resolves a file reference of the kubeconfig against its directory (as kubectl does). */
function resolvePath(dir: string, path: string): string {
  return isAbsolute(path) ? path : join(dir, path);
}

/** `name: x, <field>: {…}` of the list whose name is `name`. */
function named(list: unknown, name: string, field: string): Entry | undefined {
  if (!Array.isArray(list)) return undefined;
  for (const item of list as unknown[]) {
    if (isEntry(item) && item.name === name && isEntry(item[field])) return item[field];
  }
  return undefined;
}

function material(
  entry: Entry,
  dir: string,
  names: { readonly data: string; readonly file: string },
): Material | undefined {
  const data = text(entry[names.data]);
  if (data !== undefined) return { kind: 'data', value: Buffer.from(data, 'base64') };
  const file = text(entry[names.file]);
  return file === undefined ? undefined : { kind: 'file', path: resolvePath(dir, file) };
}

/** Reads the current context of a kubeconfig (YAML or JSON); file references are relative to `dir`. */
export async function readCredentials(source: string, dir: string): Promise<KubeconfigReading> {
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (error) {
    return { kind: 'malformed', message: `not YAML: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isEntry(doc)) return { kind: 'malformed', message: 'not a kubeconfig (no mapping at the top)' };
  const contextName = text(doc['current-context']);
  const context = contextName === undefined ? undefined : named(doc.contexts, contextName, 'context');
  const clusterName = context === undefined ? undefined : text(context.cluster);
  const cluster = clusterName === undefined ? undefined : named(doc.clusters, clusterName, 'cluster');
  if (cluster === undefined) return { kind: 'no-current-cluster' };
  const server = text(cluster.server);
  if (server === undefined) return { kind: 'malformed', message: `cluster "${clusterName ?? ''}" has no server` };
  const skipTLSVerify = cluster['insecure-skip-tls-verify'] === true;
  if (server.startsWith('http:') && !skipTLSVerify) {
    return {
      kind: 'malformed',
      message: `cluster "${clusterName ?? ''}": plain HTTP to the API server needs insecure-skip-tls-verify`,
    };
  }
  const userName = text(context?.user);
  const user = (userName === undefined ? undefined : named(doc.users, userName, 'user')) ?? {};
  if (user.exec !== undefined || user['auth-provider'] !== undefined || cluster['proxy-url'] !== undefined)
    return { kind: 'needs-client-node' };

  const tokenText = text(user.token);
  const tokenFile = text(user['token-file']);
  const username = text(user.username);
  const tlsServerName = text(cluster['tls-server-name']);
  const impersonate = text(user.as);
  const ca = material(cluster, dir, { data: 'certificate-authority-data', file: 'certificate-authority' });
  const cert = material(user, dir, { data: 'client-certificate-data', file: 'client-certificate' });
  const key = material(user, dir, { data: 'client-key-data', file: 'client-key' });
  const token: Material | undefined =
    tokenText !== undefined
      ? { kind: 'data', value: Buffer.from(tokenText, 'utf8') }
      : tokenFile === undefined
        ? undefined
        : { kind: 'file', path: resolvePath(dir, tokenFile) };
  return {
    kind: 'credentials',
    credentials: {
      server,
      skipTLSVerify,
      ...(ca === undefined ? {} : { ca }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(token === undefined ? {} : { token }),
      ...(tlsServerName === undefined ? {} : { tlsServerName }),
      ...(username === undefined
        ? {}
        : { basic: { username, password: typeof user.password === 'string' ? user.password : '' } }),
      ...(impersonate === undefined ? {} : { impersonate }),
    },
  };
}
