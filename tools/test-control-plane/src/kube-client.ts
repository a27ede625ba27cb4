// A small JSON client for the Kubernetes REST API with a kubeconfig's credentials, for tests, the
// demo and benchmarks: plain objects in and out, one keep-alive connection pool, HTTP errors as
// values (the status code and the body).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RequestOptions } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { httpExchange } from './http-exchange.ts';
import { loadKubeConfig } from './test-namespace.ts';

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeResponse {
  readonly status: number;
  /** The parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  readonly body: unknown;
}

export interface KubeRequestOptions {
  /** Query parameters, e.g. `{ labelSelector: 'app=x' }`. */
  readonly query?: Readonly<Record<string, string>>;
  /** The body's content type. Default `application/json`; `patch` defaults to a JSON merge patch. */
  readonly contentType?: string;
  /** Default `application/json`. */
  readonly accept?: string;
}

export interface KubeClientOptions {
  /** Most connections open at once. Default 16. */
  readonly maxSockets?: number;
  /**
   * Retries a request that fails to connect or gets 503, e.g. while the API server restarts under a
   * test. Default: no retries (transport failures reject, 503 is returned).
   */
  readonly retry?: { readonly attempts: number; readonly intervalMs: number };
}

export interface KubeClient {
  /** The server URL without a trailing slash. */
  readonly server: string;
  get(path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  post(path: string, body: unknown, options?: KubeRequestOptions): Promise<KubeResponse>;
  put(path: string, body: unknown, options?: KubeRequestOptions): Promise<KubeResponse>;
  /** A JSON merge patch unless `options.contentType` says otherwise. */
  patch(path: string, body: unknown, options?: KubeRequestOptions): Promise<KubeResponse>;
  delete(path: string, options?: KubeRequestOptions): Promise<KubeResponse>;
  /** Closes the pooled connections. */
  close(): void;
}

export const MERGE_PATCH = 'application/merge-patch+json';

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One request: a method, a path, a JSON body (undefined for none) and per-request options. */
interface Call {
  readonly method: KubeMethod;
  readonly path: string;
  readonly body: unknown;
  readonly req: KubeRequestOptions;
}

/**
 * Builds a client for a kubeconfig's current context (client certificates, tokens or basic auth),
 * given as a KubeConfig or a file path. Requests reject only when the server cannot be reached.
 */
export async function createKubeClient(
  source: KubeConfig | string,
  options: KubeClientOptions = {},
): Promise<KubeClient> {
  const kubeConfig = typeof source === 'string' ? loadKubeConfig(source) : source;
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const tls: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(tls);
  const maxSockets = options.maxSockets ?? 16;
  const agent =
    new URL(server).protocol === 'https:'
      ? new HttpsAgent({
          keepAlive: true,
          maxSockets,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
          ...(tls.cert === undefined ? {} : { cert: tls.cert }),
          ...(tls.key === undefined ? {} : { key: tls.key }),
          ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
        })
      : new HttpAgent({ keepAlive: true, maxSockets });
  const baseHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(tls.headers ?? {})) {
    if (typeof v === 'string') baseHeaders[k] = v;
  }
  if (typeof tls.auth === 'string') baseHeaders['authorization'] = `Basic ${Buffer.from(tls.auth).toString('base64')}`;

  const once = async ({ method, path, body, req }: Call): Promise<KubeResponse> => {
    const url = new URL(server + path);
    for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { ...baseHeaders, accept: req.accept ?? 'application/json' };
    if (payload !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    const answer = await httpExchange({ url, method, headers, agent, ...(payload === undefined ? {} : { payload }) });
    return { status: answer.status, body: parseBody(answer.text) };
  };

  const send = async (call: Call): Promise<KubeResponse> => {
    const retry = options.retry;
    if (retry === undefined) return once(call);
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await once(call);
        if (res.status !== 503 || attempt >= retry.attempts) return res;
      } catch (error) {
        if (attempt >= retry.attempts) throw error;
      }
      await sleep(retry.intervalMs);
    }
  };

  return {
    server,
    get: (path, req = {}) => send({ method: 'GET', path, body: undefined, req }),
    post: (path, body, req = {}) => send({ method: 'POST', path, body, req }),
    put: (path, body, req = {}) => send({ method: 'PUT', path, body, req }),
    patch: (path, body, req) =>
      send({ method: 'PATCH', path, body, req: { ...req, contentType: req?.contentType ?? MERGE_PATCH } }),
    delete: (path, req = {}) => send({ method: 'DELETE', path, body: undefined, req }),
    close: () => {
      agent.destroy();
    },
  };
}

/** The body of a 2xx response; throws with the status and the API server's message otherwise. */
export function expectOk(res: KubeResponse, what: string): unknown {
  if (res.status < 200 || res.status > 299) throw new Error(`${what}: HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}
