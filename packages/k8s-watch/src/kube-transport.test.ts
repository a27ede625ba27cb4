import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { createKubeTransport, decodeWatchLine } from './kube-transport.ts';
import type { WatchEvent, WatchFailure, WatchRequest } from './watch-types.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server | undefined;

async function serve(handler: Handler): Promise<{ kubeConfig: KubeConfig; requests: URL[] }> {
  const requests: URL[] = [];
  server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://x'));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { kubeConfig, requests };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => {
    if (server)
      server.close(() => {
        resolve();
      });
    else resolve();
  });
  server = undefined;
});

const watchRequest: WatchRequest = {
  path: '/api/v1/services',
  labelSelector: 'a=b',
  fieldSelector: undefined,
  resourceVersion: '42',
  timeoutSeconds: 300,
  inactivityTimeoutMs: 10_000,
};

function collect(kubeConfig: KubeConfig, request: WatchRequest = watchRequest) {
  const events: WatchEvent[] = [];
  const ended = new Promise<WatchFailure | undefined>((resolve) => {
    createKubeTransport(kubeConfig).watch(request, { onEvent: (e) => events.push(e), onEnd: resolve });
  });
  return { events, ended };
}

describe('createKubeTransport list', () => {
  it('sends paging, selectors and the bearer token, and decodes a page', async () => {
    let auth: string | undefined;
    const { kubeConfig, requests } = await serve((req, res) => {
      auth = req.headers.authorization;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'ServiceList',
          metadata: { resourceVersion: '77', continue: 'tok2' },
          items: [{ metadata: { name: 'a' } }],
        }),
      );
    });
    const result = await createKubeTransport(kubeConfig).list({
      path: '/api/v1/services',
      labelSelector: 'app=x',
      fieldSelector: 'metadata.name=a',
      limit: 50,
      continueToken: 'tok1',
    });
    expect(result).toEqual({
      ok: true,
      value: { items: [{ metadata: { name: 'a' } }], resourceVersion: '77', continueToken: 'tok2' },
    });
    expect(auth).toBe('Bearer secret-token');
    expect(requests[0]!.pathname).toBe('/api/v1/services');
    expect(Object.fromEntries(requests[0]!.searchParams)).toEqual({
      limit: '50',
      continue: 'tok1',
      labelSelector: 'app=x',
      fieldSelector: 'metadata.name=a',
    });
  });

  it.each([
    [
      410,
      JSON.stringify({ kind: 'Status', code: 410, message: 'The provided continue parameter is too old' }),
      { code: 'Gone', message: 'The provided continue parameter is too old' },
    ],
    [
      403,
      JSON.stringify({ kind: 'Status', code: 403, message: 'services is forbidden' }),
      { code: 'HttpStatus', status: 403, message: 'services is forbidden' },
    ],
    [500, '', { code: 'HttpStatus', status: 500, message: 'HTTP 500 Internal Server Error' }],
    [200, 'not json', { code: 'Undecodable' }],
    [200, JSON.stringify({ items: [] }), { code: 'Undecodable' }],
  ])('maps status %d to a failure', async (status, body, failure) => {
    const { kubeConfig } = await serve((_req, res) => {
      res.statusCode = status;
      res.end(body);
    });
    const result = await createKubeTransport(kubeConfig).list({
      path: '/api/v1/services',
      labelSelector: undefined,
      fieldSelector: undefined,
      limit: 1,
      continueToken: undefined,
    });
    expect(result).toMatchObject({ ok: false, error: failure });
  });

  it('reports a refused connection as a network failure', async () => {
    const { kubeConfig } = await serve(() => {});
    await new Promise<void>((resolve) => {
      server!.close(() => {
        resolve();
      });
    });
    server = undefined;
    const result = await createKubeTransport(kubeConfig).list({
      path: '/api/v1/services',
      labelSelector: undefined,
      fieldSelector: undefined,
      limit: 1,
      continueToken: undefined,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'Network' } });
    expect(!result.ok && result.error.message).toContain('ECONNREFUSED');
  });
});

describe('createKubeTransport watch', () => {
  it('asks for bookmarks from the given version and decodes events split across chunks', async () => {
    const { kubeConfig, requests } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const lines = [
        { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '43' } } },
        { type: 'BOOKMARK', object: { kind: 'Service', metadata: { resourceVersion: '50' } } },
        { type: 'DELETED', object: { metadata: { name: 'a', resourceVersion: '51' } } },
      ]
        .map((l) => JSON.stringify(l) + '\n')
        .join('');
      res.write(lines.slice(0, 30));
      setTimeout(() => {
        res.write(lines.slice(30));
        res.end();
      }, 20);
    });
    const w = collect(kubeConfig);
    expect(await w.ended).toBeUndefined();
    expect(w.events).toEqual([
      { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '43' } } },
      { type: 'BOOKMARK', resourceVersion: '50' },
      { type: 'DELETED', object: { metadata: { name: 'a', resourceVersion: '51' } } },
    ]);
    expect(Object.fromEntries(requests[0]!.searchParams)).toEqual({
      watch: '1',
      allowWatchBookmarks: 'true',
      resourceVersion: '42',
      timeoutSeconds: '300',
      labelSelector: 'a=b',
    });
  });

  it('delivers an in-stream ERROR event', async () => {
    const { kubeConfig } = await serve((_req, res) => {
      res.writeHead(200);
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 42 (90)' },
        }) + '\n',
      );
    });
    const w = collect(kubeConfig);
    await w.ended;
    expect(w.events).toEqual([
      { type: 'ERROR', code: 410, reason: 'Expired', message: 'too old resource version: 42 (90)' },
    ]);
  });

  it.each([
    [410, { code: 'Gone' }],
    [401, { code: 'HttpStatus', status: 401 }],
  ])('ends with a failure when the watch is answered %d', async (status, failure) => {
    const { kubeConfig } = await serve((_req, res) => {
      res.statusCode = status;
      res.end(JSON.stringify({ kind: 'Status', message: 'nope' }));
    });
    expect(await collect(kubeConfig).ended).toMatchObject({ ...failure, message: 'nope' });
  });

  it('ends with a decode failure on a line that is not a watch event', async () => {
    const { kubeConfig } = await serve((_req, res) => {
      res.writeHead(200);
      res.end('{"type":"ADDED"}\n');
    });
    expect(await collect(kubeConfig).ended).toMatchObject({ code: 'Undecodable' });
  });

  it('ends with a network failure when the connection is cut mid-stream', async () => {
    const { kubeConfig } = await serve((req, res) => {
      res.writeHead(200);
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
      setTimeout(() => req.socket.destroy(), 20);
    });
    const w = collect(kubeConfig);
    expect(await w.ended).toMatchObject({ code: 'Network' });
    expect(w.events).toHaveLength(1);
  });

  it('ends with a timeout when nothing arrives for the inactivity timeout', async () => {
    const { kubeConfig } = await serve((_req, res) => {
      res.writeHead(200);
      res.flushHeaders();
    });
    expect(await collect(kubeConfig, { ...watchRequest, inactivityTimeoutMs: 100 }).ended).toMatchObject({
      code: 'Timeout',
    });
  });

  it('calls nothing after cancel and closes the connection', async () => {
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    const { kubeConfig } = await serve((req, res) => {
      res.writeHead(200);
      res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } }) + '\n');
      req.socket.on('close', closed);
    });
    let ended = false;
    const events: WatchEvent[] = [];
    const stream = createKubeTransport(kubeConfig).watch(watchRequest, {
      onEvent: (e) => events.push(e),
      onEnd: () => (ended = true),
    });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (events.length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    stream.cancel();
    await serverSawClose;
    expect(ended).toBe(false);
  });
});

describe('decodeWatchLine', () => {
  it.each([
    ['{"type":"MODIFIED","object":{"a":1}}', { type: 'MODIFIED', object: { a: 1 } }],
    ['{"type":"BOOKMARK","object":{"metadata":{}}}', undefined],
    ['{"type":"ERROR","object":{}}', { type: 'ERROR', code: undefined, reason: undefined, message: 'watch error' }],
    ['{"type":"WHAT","object":{}}', undefined],
    ['[1,2]', undefined],
    ['{', undefined],
  ])('%s', (line, expected) => {
    expect(decodeWatchLine(line)).toEqual(expected);
  });
});
