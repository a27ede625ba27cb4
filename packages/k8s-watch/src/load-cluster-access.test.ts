// The light client configuration against client-node's KubeConfig as the oracle: for every kubeconfig
// the daemons can meet, both put the same server, TLS material and credentials on a request.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ClusterAccess } from './cluster-access.ts';
import { SERVICE_ACCOUNT_DIR, loadClusterAccess } from './load-cluster-access.ts';

const dir = mkdtempSync(join(tmpdir(), 'purelb-cluster-access-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const PEM = { ca: 'ca-bytes\n', cert: 'cert-bytes\n', key: 'key-bytes\n' };
for (const [name, body] of Object.entries(PEM)) writeFileSync(join(dir, `${name}.pem`), body);
writeFileSync(join(dir, 'token'), 'file-token');
const b64 = (s: string): string => Buffer.from(s).toString('base64');

function kubeconfig(
  name: string,
  cluster: Record<string, unknown>,
  user: Record<string, unknown>,
  json = false,
): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'other', cluster: { server: 'https://198.51.100.9:1' } },
      { name: 'c', cluster },
    ],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  };
  const path = join(dir, name);
  // YAML as kubectl writes it (block style), or JSON, which is YAML too.
  writeFileSync(path, json ? JSON.stringify(doc) : toYaml(doc));
  return path;
}

function toYaml(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return value.map((v) => `\n${indent}- ${toYaml(v, `${indent}  `).trimStart()}`).join('');
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) =>
        typeof v === 'object' && v !== null
          ? `\n${indent}${k}:${toYaml(v, `${indent}  `)}`
          : `\n${indent}${k}: ${JSON.stringify(v)}`,
      )
      .join('');
  }
  return JSON.stringify(value);
}

interface Applied {
  readonly server: string | undefined;
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
  readonly rejectUnauthorized: boolean | undefined;
  readonly servername: string | undefined;
  readonly authorization: unknown;
  readonly impersonate: unknown;
  readonly auth: string | undefined;
}

async function applied(access: ClusterAccess): Promise<Applied> {
  const options: RequestOptions = { headers: {} };
  await access.applyToHTTPSOptions(options);
  const headers = (options.headers ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined =>
    v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : JSON.stringify(v);
  return {
    server: access.getCurrentCluster()?.server,
    ca: str(options.ca),
    cert: str(options.cert),
    key: str(options.key),
    rejectUnauthorized: options.rejectUnauthorized,
    servername: options.servername ?? undefined,
    authorization: headers.Authorization,
    impersonate: headers['Impersonate-User'],
    auth: options.auth ?? undefined,
  };
}

async function light(path: string): Promise<ClusterAccess> {
  const r = await loadClusterAccess({ kind: 'file', path });
  if (!r.ok) throw new Error(r.error.message);
  expect(r.value).not.toBeInstanceOf(KubeConfig);
  return r.value;
}

function oracle(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

describe('loadClusterAccess, kubeconfig file', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, boolean?]>([
    [
      'client certificate files (relative to the kubeconfig), CA file',
      { server: 'https://127.0.0.1:6443/', 'certificate-authority': 'ca.pem' },
      { 'client-certificate': 'cert.pem', 'client-key': 'key.pem' },
    ],
    [
      'inline data, server name, no verification',
      {
        server: 'https://[::1]:6443',
        'certificate-authority-data': b64(PEM.ca),
        'tls-server-name': 'kubernetes',
        'insecure-skip-tls-verify': true,
      },
      { 'client-certificate-data': b64(PEM.cert), 'client-key-data': b64(PEM.key) },
    ],
    [
      'a token and impersonation',
      { server: 'https://127.0.0.1:6443', 'certificate-authority': join(dir, 'ca.pem') },
      { token: 'abc.def', as: 'someone' },
    ],
    ['a token file', { server: 'https://127.0.0.1:6443' }, { 'token-file': join(dir, 'token') }],
    ['basic auth, as JSON', { server: 'https://127.0.0.1:6443' }, { username: 'admin', password: 'secret' }, true],
    [
      'plain HTTP, allowed only without verification',
      { server: 'http://127.0.0.1:8080', 'insecure-skip-tls-verify': true },
      { token: 't' },
    ],
  ])('%s: the same request options as client-node', async (_, cluster, user, json) => {
    const path = kubeconfig('config', cluster, user, json === true);
    expect(await applied(await light(path))).toEqual(await applied(oracle(path)));
  });

  it('hands a kubeconfig with an exec plugin or a proxy to client-node', async () => {
    for (const [cluster, user] of [
      [
        { server: 'https://127.0.0.1:6443' },
        { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'true' } },
      ],
      [{ server: 'https://127.0.0.1:6443', 'proxy-url': 'http://127.0.0.1:3128' }, { token: 't' }],
    ]) {
      const r = await loadClusterAccess({ kind: 'file', path: kubeconfig('plugin', cluster ?? {}, user ?? {}) });
      expect(r.ok && r.value instanceof KubeConfig).toBe(true);
    }
  });

  it.each([
    ['a missing file', () => join(dir, 'absent'), 'Unreadable'],
    [
      'a missing certificate file',
      () => kubeconfig('nocert', { server: 'https://127.0.0.1:1' }, { 'client-certificate': 'absent.pem' }),
      'Unreadable',
    ],
    ['text that is not YAML', () => writeText('garbage', 'a: [1\n'), 'Malformed'],
    ['a list at the top', () => writeText('list', '- 1\n'), 'Malformed'],
    ['no current context', () => writeText('empty', 'apiVersion: v1\nkind: Config\n'), 'NoCurrentCluster'],
    [
      'a cluster without a server',
      () => kubeconfig('noserver', { 'certificate-authority': 'ca.pem' }, {}),
      'Malformed',
    ],
    [
      'plain HTTP with verification',
      () => kubeconfig('http', { server: 'http://127.0.0.1:8080' }, { token: 't' }),
      'Malformed',
    ],
  ])('fails on %s', async (_, path, code) => {
    const r = await loadClusterAccess({ kind: 'file', path: path() });
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
});

function writeText(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('loadClusterAccess, in cluster', () => {
  const root = join(dir, 'pod');
  const sa = join(root, SERVICE_ACCOUNT_DIR);
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'ca.crt'), PEM.ca);
  writeFileSync(join(sa, 'namespace'), 'purelb');

  it.each([
    ['10.96.0.1', '443'],
    ['fd00:10:96::1', '6443'],
  ])('%s port %s: the same request options as client-node', async (host, port) => {
    writeFileSync(join(sa, 'token'), 'sa-token');
    vi.stubEnv('KUBERNETES_SERVICE_HOST', host);
    vi.stubEnv('KUBERNETES_SERVICE_PORT', port);
    const kc = new KubeConfig();
    kc.loadFromCluster(root);
    const r = await loadClusterAccess({
      kind: 'in-cluster',
      env: { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port },
      serviceAccountDir: sa,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(await applied(r.value)).toEqual(await applied(kc));
  });

  it('reads a rotated token once the last read is a minute old, and keeps the last one if the file is gone', async () => {
    writeFileSync(join(sa, 'token'), 'first\n');
    let now = 0;
    const r = await loadClusterAccess(
      {
        kind: 'in-cluster',
        env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
        serviceAccountDir: sa,
      },
      { now: () => now },
    );
    if (!r.ok) throw new Error(r.error.message);
    const bearer = async (): Promise<unknown> => (await applied(r.value)).authorization;
    expect(await bearer()).toBe('Bearer first');
    writeFileSync(join(sa, 'token'), 'second');
    now = 59_000;
    expect(await bearer()).toBe('Bearer first');
    now = 61_000;
    expect(await bearer()).toBe('Bearer second');
    unlinkSync(join(sa, 'token'));
    now = 200_000;
    expect(await bearer()).toBe('Bearer second');
  });

  it('speaks TLS whatever the port (client-go does; client-node refuses plain HTTP anyway)', async () => {
    writeFileSync(join(sa, 'token'), 'sa-token');
    const r = await loadClusterAccess({
      kind: 'in-cluster',
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '8080' },
      serviceAccountDir: sa,
    });
    expect(r.ok && r.value.getCurrentCluster()?.server).toBe('https://10.96.0.1:8080');
  });

  it('is not in a cluster without the service environment, and unreadable without a token', async () => {
    const r = await loadClusterAccess({
      kind: 'in-cluster',
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' },
      serviceAccountDir: sa,
    });
    expect(r.ok ? 'ok' : r.error.code).toBe('NotInCluster');
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const missing = await loadClusterAccess({ kind: 'in-cluster', env, serviceAccountDir: join(dir, 'nowhere') });
    expect(missing.ok ? 'ok' : missing.error.code).toBe('Unreadable');
  });
});
