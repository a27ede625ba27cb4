// One HTTP(S) request to the API server with the kubeconfig's TLS settings and credentials.
import * as http from 'node:http';
import * as https from 'node:https';
import type { ClusterAccess } from './cluster-access.ts';
import { usePooledAgent } from './pooled-agent.ts';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** What to open: a path with its query, the method (default GET) and the body's content type. */
export interface RequestTarget {
  readonly path: string;
  readonly query?: Query | undefined;
  readonly method?: string | undefined;
  readonly contentType?: string | undefined;
}

/** Opens a request; rejects only when the kubeconfig cannot produce one (no cluster, bad credentials). */
export async function openRequest(
  kubeConfig: ClusterAccess,
  { path, query = {}, method = 'GET', contentType }: RequestTarget,
): Promise<http.ClientRequest> {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  const options: https.RequestOptions = { method, headers };
  await kubeConfig.applyToHTTPSOptions(options);
  if (url.protocol === 'https:' && cluster.proxyUrl === undefined) usePooledAgent(kubeConfig, options);
  const request = url.protocol === 'http:' ? http.request(url, options) : https.request(url, options);
  request.on('socket', (socket) => {
    socket.setKeepAlive(true, 15_000);
  });
  return request;
}

/** What the server answered: any HTTP status, with the whole body as text. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** Why there was no answer. */
export interface ExchangeFailure {
  readonly code: 'Network' | 'Timeout';
  readonly message: string;
}

export type Exchange =
  { readonly ok: true; readonly value: Answer } | { readonly ok: false; readonly error: ExchangeFailure };

export interface ExchangeRequest {
  readonly method: string;
  readonly path: string;
  readonly query?: Query;
  readonly contentType?: string;
  /** Sent as JSON with a Content-Length (the API server ignores a chunked DELETE body). */
  readonly body?: unknown;
  readonly timeoutMs: number;
}

/** One non-streaming request: the whole answer, or why there was none. Never rejects. */
export async function exchange(kubeConfig: ClusterAccess, request: ExchangeRequest): Promise<Exchange> {
  let req: http.ClientRequest;
  try {
    req = await openRequest(kubeConfig, request);
  } catch (error) {
    return { ok: false, error: { code: 'Network', message: errorMessage(error) } };
  }
  return new Promise<Exchange>((resolve) => {
    let settled = false;
    const done = (result: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      req.destroy();
      done({
        ok: false,
        error: {
          code: 'Timeout',
          message: `${request.method} ${request.path}: no answer within ${request.timeoutMs} ms`,
        },
      });
    }, request.timeoutMs);
    timer.unref();
    req.on('error', (error) => {
      done({ ok: false, error: { code: 'Network', message: errorMessage(error) } });
    });
    req.on('response', (res: http.IncomingMessage) => {
      readBody(res).then(
        (body) => {
          done({ ok: true, value: { status: res.statusCode ?? 0, body } });
        },
        (error: unknown) => {
          done({ ok: false, error: { code: 'Network', message: errorMessage(error) } });
        },
      );
    });
    if (request.body === undefined) {
      req.end();
      return;
    }
    const payload = Buffer.from(JSON.stringify(request.body), 'utf8');
    req.setHeader('Content-Length', payload.length);
    req.end(payload);
  });
}

/** The whole body of an answer as text. */
export function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', reject);
    res.on('aborted', () => {
      reject(new Error('response aborted'));
    });
  });
}

/** The `message` of a Kubernetes Status body, else the body itself (shortened), else the status text. */
export function statusMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message !== '') return parsed.message;
  } catch {
    // not JSON
  }
  const text = body.trim();
  if (text !== '') return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return `HTTP ${status} ${http.STATUS_CODES[status] ?? ''}`.trim();
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
