import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer } from './health-server.ts';
import type { HealthServer } from './health-server.ts';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function get(path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const { host, port } = server?.address ?? { host: '', port: 0 };
  const res = await fetch(`http://${host}:${port}${path}`, { method });
  return { status: res.status, body: await res.text() };
}

describe('startHealthServer', () => {
  it('serves liveness, readiness with its reason, and the registry’s metrics, on a free port', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ daemon: 'test' });
    let ready = { ready: false, detail: 'waiting for the watches' };
    server = await startHealthServer({ host: '127.0.0.1', port: 0 }, registry, () => ready);
    expect(server.address.port).toBeGreaterThan(0);
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok\n' });
    expect(await get('/readyz')).toEqual({ status: 503, body: 'waiting for the watches\n' });
    ready = { ready: true, detail: 'ready' };
    expect(await get('/readyz?verbose')).toEqual({ status: 200, body: 'ready\n' });
    expect((await get('/metrics')).status).toBe(200);
  });

  it('refuses other methods and answers 404 elsewhere', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0 }, new Registry(), () => ({
      ready: true,
      detail: '',
    }));
    expect((await get('/healthz', 'POST')).status).toBe(405);
    expect((await get('/other')).status).toBe(404);
  });

  it('fails to start on a port in use', async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0 }, new Registry(), () => ({
      ready: true,
      detail: '',
    }));
    await expect(
      startHealthServer({ host: '127.0.0.1', port: server.address.port }, new Registry(), () => ({
        ready: true,
        detail: '',
      })),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
