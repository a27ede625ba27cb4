import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { annotationPatch, createClusterWriter } from './cluster-writer.ts';

interface Seen {
  method: string;
  path: string;
  contentType: string | undefined;
  body: unknown;
}

let server: Server | undefined;

async function serve(status = 200, answer: unknown = { metadata: { resourceVersion: '99' } }) {
  const seen: Seen[] = [];
  const lengths: (string | undefined)[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: text === '' ? undefined : JSON.parse(text),
      });
      lengths.push(req.headers['content-length']);
      res.statusCode = status;
      res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      { name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { writer: createClusterWriter(kubeConfig), seen, lengths };
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

describe('createClusterWriter', () => {
  it('strategic-merge-patches Service status through the status subresource, with a Content-Length (the API server ignores chunked DELETE bodies)', async () => {
    const { writer, seen, lengths } = await serve();
    const result = await writer.patchServiceStatus(
      { namespace: 'web', name: 'front' },
      { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } },
    );
    expect(result).toEqual({ ok: true, value: { resourceVersion: '99' } });
    expect(seen).toEqual([
      {
        method: 'PATCH',
        path: '/api/v1/namespaces/web/services/front/status',
        contentType: 'application/strategic-merge-patch+json',
        body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.10', ipMode: 'VIP' }] } } },
      },
    ]);
    expect(lengths).toEqual([String(JSON.stringify(seen[0]!.body).length)]);
  });

  it.each([
    [{ kind: 'Service' as const, namespace: 'web', name: 'front' }, '/api/v1/namespaces/web/services/front'],
    [{ kind: 'Node' as const, name: 'node-1' }, '/api/v1/nodes/node-1'],
    [
      { kind: 'Lease' as const, namespace: 'purelb', name: 'purelb-node-a' },
      '/apis/coordination.k8s.io/v1/namespaces/purelb/leases/purelb-node-a',
    ],
    [
      {
        kind: 'Custom' as const,
        group: 'purelb.io',
        version: 'v1',
        plural: 'servicegroups',
        namespace: 'purelb',
        name: 'default',
      },
      '/apis/purelb.io/v1/namespaces/purelb/servicegroups/default',
    ],
    [
      { kind: 'Custom' as const, group: 'example.com', version: 'v1', plural: 'widgets', name: 'w' },
      '/apis/example.com/v1/widgets/w',
    ],
  ])('merge-patches annotations of %o', async (target, path) => {
    const { writer, seen } = await serve();
    const result = await writer.patchAnnotations(target, {
      set: { 'purelb.io/allocated-by': 'PureLB' },
      remove: ['purelb.io/announcing-IPv4'],
    });
    expect(result.ok).toBe(true);
    expect(seen[0]).toEqual({
      method: 'PATCH',
      path,
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { 'purelb.io/allocated-by': 'PureLB', 'purelb.io/announcing-IPv4': null } } },
    });
  });

  it('sends nothing for an empty annotation change', async () => {
    const { writer, seen } = await serve();
    expect(await writer.patchAnnotations({ kind: 'Node', name: 'n' }, {})).toEqual({
      ok: true,
      value: { resourceVersion: undefined },
    });
    expect(seen).toEqual([]);
  });

  it('merge-patches custom resource status and posts Events as JSON', async () => {
    const { writer, seen } = await serve(201);
    await writer.patchCustomStatus(
      { group: 'purelb.io', version: 'v1', plural: 'servicegroups', namespace: 'purelb', name: 'default' },
      { observedGeneration: 2 },
    );
    await writer.createEvent({ namespace: 'web', body: { reason: 'AddressAssigned' } });
    expect(seen.map((s) => [s.method, s.path, s.contentType, s.body])).toEqual([
      [
        'PATCH',
        '/apis/purelb.io/v1/namespaces/purelb/servicegroups/default/status',
        'application/merge-patch+json',
        { status: { observedGeneration: 2 } },
      ],
      ['POST', '/api/v1/namespaces/web/events', 'application/json', { reason: 'AddressAssigned' }],
    ]);
  });

  it.each([
    [404, { kind: 'Status', reason: 'NotFound', message: 'services "front" not found' }, 'NotFound'],
    [409, { kind: 'Status', reason: 'Conflict', message: 'the object has been modified' }, 'Conflict'],
    [409, { kind: 'Status', reason: 'AlreadyExists', message: 'already exists' }, 'AlreadyExists'],
    [
      422,
      { kind: 'Status', reason: 'Invalid', message: 'status.loadBalancer.ingress[0].ip: Invalid value' },
      'Invalid',
    ],
    [415, { kind: 'Status', message: 'the body of the request was in an unknown format' }, 'Unknown'],
    [403, { kind: 'Status', message: 'forbidden' }, 'Forbidden'],
    [401, 'Unauthorized', 'Unauthorized'],
    [503, '', 'Unavailable'],
  ])('returns HTTP %d as a typed error', async (status, answer, code) => {
    const { writer } = await serve(status, answer);
    const result = await writer.patchServiceStatus({ namespace: 'web', name: 'front' }, {});
    expect(result).toMatchObject({ ok: false, error: { code, status } });
    if (!result.ok && typeof answer === 'object') expect(result.error.message).toBe(answer.message);
  });

  it('returns an unreachable server as Unavailable', async () => {
    const { writer } = await serve();
    server!.closeAllConnections();
    await new Promise<void>((resolve) =>
      server!.close(() => {
        resolve();
      }),
    );
    server = undefined;
    const result = await writer.patchServiceStatus({ namespace: 'web', name: 'front' }, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'Unavailable', status: undefined } });
  });

  it('escapes path segments', async () => {
    const { writer, seen } = await serve();
    await writer.patchServiceStatus({ namespace: 'a/b', name: 'c?d' }, {});
    expect(seen[0]!.path).toBe('/api/v1/namespaces/a%2Fb/services/c%3Fd/status');
  });
});

describe('annotationPatch', () => {
  it('lets set win over remove for the same key', () => {
    expect(annotationPatch({ set: { a: '1' }, remove: ['a', 'b'] })).toEqual({ a: '1', b: null });
    expect(annotationPatch({ set: {}, remove: [] })).toBeUndefined();
  });
});
