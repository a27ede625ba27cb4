// A small JSON client for the Kubernetes REST API, for integration tests: plain objects in and out,
// keep-alive connections, the status code returned rather than thrown.
import { Agent, request, type RequestOptions } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface KubeApi {
  get(path: string): Promise<KubeResponse>;
  post(path: string, body: unknown): Promise<KubeResponse>;
  put(path: string, body: unknown): Promise<KubeResponse>;
  /** JSON merge patch. */
  patch(path: string, body: unknown): Promise<KubeResponse>;
  delete(path: string): Promise<KubeResponse>;
  close(): void;
}

export async function createKubeApi(kubeconfigPath: string): Promise<KubeApi> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('no current cluster');
  const url = new URL(cluster.server);
  const tls: RequestOptions = {};
  await kc.applyToHTTPSOptions(tls);
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ca: tls.ca, cert: tls.cert, key: tls.key });

  const send = (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // keep the text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });

  // The API server may be restarting under a test: retry connection failures for a while.
  const withRetry = async (method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await send(method, path, body, contentType);
        if (r.status !== 503 || attempt >= 100) return r;
      } catch (err) {
        if (attempt >= 100) throw err;
      }
      await sleep(200);
    }
  };

  return {
    get: (path) => withRetry('GET', path),
    post: (path, body) => withRetry('POST', path, body),
    put: (path, body) => withRetry('PUT', path, body),
    patch: (path, body) => withRetry('PATCH', path, body, 'application/merge-patch+json'),
    delete: (path) => withRetry('DELETE', path),
    close: () => {
      agent.destroy();
    },
  };
}

/** Throws unless the response is 2xx; returns the body. */
export function expectOk(r: KubeResponse, what: string): unknown {
  if (r.status < 200 || r.status > 299) throw new Error(`${what}: HTTP ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}
