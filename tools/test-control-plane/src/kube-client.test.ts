import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClient, expectOk, MERGE_PATCH } from './kube-client.ts';
import type { KubeClient } from './kube-client.ts';
import { statusMessage } from './http-exchange.ts';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly contentType: string | undefined;
  readonly accept: string | undefined;
  readonly authorization: string | undefined;
  readonly body: string;
}

const seen: Seen[] = [];
let unavailable = 0;
let server: Server;
let base: string;

function record(req: IncomingMessage, body: string): void {
  seen.push({
    method: req.method ?? '',
    url: req.url ?? '',
    contentType: req.headers['content-type'],
    accept: req.headers.accept,
    authorization: req.headers.authorization,
    body,
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      record(req, body);
      if (req.url === '/flaky' && unavailable > 0) {
        unavailable--;
        res.writeHead(503).end('{"kind":"Status","message":"not yet"}');
      } else if (req.url === '/missing') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"kind":"Status","message":"services \\"x\\" not found"}');
      } else if (req.url === '/text') {
        res.writeHead(200).end('ok');
      } else if (req.url === '/empty') {
        res.writeHead(200).end();
      } else {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ echo: body === '' ? null : (JSON.parse(body) as unknown) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

function kubeConfigFor(serverUrl: string, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: serverUrl, skipTLSVerify: true }],
    users: [{ name: 'u', ...(token === undefined ? {} : { token }) }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

async function withClient(run: (client: KubeClient) => Promise<void>, kc = kubeConfigFor(`${base}/`)): Promise<void> {
  const client = await createKubeClient(kc);
  try {
    await run(client);
  } finally {
    client.close();
  }
}

describe('createKubeClient', () => {
  it('sends JSON with the kubeconfig credentials and parses JSON answers', async () => {
    seen.length = 0;
    await withClient(
      async (client) => {
        expect(client.server).toBe(base);
        const res = await client.post('/api/v1/namespaces', { metadata: { name: 'a' } });
        expect(res).toEqual({ status: 200, body: { echo: { metadata: { name: 'a' } } } });
      },
      kubeConfigFor(base, 'secret-token'),
    );
    expect(seen[0]).toMatchObject({
      method: 'POST',
      contentType: 'application/json',
      accept: 'application/json',
      authorization: 'Bearer secret-token',
    });
  });

  it('patches with a JSON merge patch by default and with the given content type otherwise', async () => {
    seen.length = 0;
    await withClient(async (client) => {
      await client.patch('/p', { a: 1 });
      await client.patch('/p', [{ op: 'add', path: '/a', value: 1 }], { contentType: 'application/json-patch+json' });
      await client.put('/p', { b: 2 });
    });
    expect(seen.map((s) => [s.method, s.contentType])).toEqual([
      ['PATCH', MERGE_PATCH],
      ['PATCH', 'application/json-patch+json'],
      ['PUT', 'application/json'],
    ]);
  });

  it('adds query parameters, sends no body on GET and DELETE, and passes the accept header', async () => {
    seen.length = 0;
    await withClient(async (client) => {
      await client.get('/list', {
        query: { labelSelector: 'app=x y', limit: '5' },
        accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      });
      await client.delete('/thing');
    });
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/list?labelSelector=app%3Dx+y&limit=5',
      contentType: undefined,
      body: '',
    });
    expect(seen[0]?.accept).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(seen[1]).toMatchObject({ method: 'DELETE', url: '/thing', contentType: undefined, body: '' });
  });

  it('returns HTTP errors, plain text and empty bodies as values', async () => {
    await withClient(async (client) => {
      const missing = await client.get('/missing');
      expect(missing.status).toBe(404);
      expect(statusMessage(missing.body)).toBe('services "x" not found');
      expect(() => expectOk(missing, 'reading x')).toThrow(/^reading x: HTTP 404: .*not found/);
      expect(await client.get('/text')).toEqual({ status: 200, body: 'ok' });
      expect(await client.get('/empty')).toEqual({ status: 200, body: undefined });
      expect(expectOk({ status: 201, body: { a: 1 } }, 'x')).toEqual({ a: 1 });
    });
  });

  it('returns 503 without retries, and retries it when asked to', async () => {
    await withClient(async (client) => {
      unavailable = 1;
      expect((await client.get('/flaky')).status).toBe(503);
    });
    const client = await createKubeClient(kubeConfigFor(base), { retry: { attempts: 5, intervalMs: 1 } });
    try {
      unavailable = 3;
      expect((await client.get('/flaky')).status).toBe(200);
      unavailable = 10;
      expect((await client.get('/flaky')).status).toBe(503);
    } finally {
      client.close();
      unavailable = 0;
    }
  });

  it('rejects when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      closed.close(() => {
        resolve();
      });
    });
    await withClient(
      async (client) => {
        await expect(client.get('/x')).rejects.toThrow(/ECONNREFUSED/);
      },
      kubeConfigFor(`http://127.0.0.1:${port}`),
    );
  });

  it('loads a kubeconfig file by path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-client-'));
    try {
      const path = join(dir, 'kubeconfig');
      writeFileSync(
        path,
        `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${base}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n`,
      );
      const client = await createKubeClient(path);
      try {
        expect((await client.get('/text')).body).toBe('ok');
      } finally {
        client.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a kubeconfig without a current cluster', async () => {
    await expect(createKubeClient(new KubeConfig())).rejects.toThrow('the kubeconfig has no current cluster');
  });
});

describe('statusMessage', () => {
  it('reads the message of a Status, parsed or as text, and falls back to the body', () => {
    expect(statusMessage({ kind: 'Status', message: 'forbidden' })).toBe('forbidden');
    expect(statusMessage('{"kind":"Status","message":"gone"}')).toBe('gone');
    expect(statusMessage('plain words')).toBe('plain words');
    expect(statusMessage('{"kind":"List"}')).toBe('{"kind":"List"}');
    expect(statusMessage({ items: [] })).toBe('{"items":[]}');
  });
});
