import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import type { PkiPaths } from './pki.ts';

/** How to reach the API server as the admin user. */
export interface AdminConnection {
  readonly server: string;
  readonly ca: Buffer;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  /** Defaults to application/json when there is a body. */
  readonly contentType?: string;
  /** Defaults to application/json. */
  readonly accept?: string;
  readonly timeoutMs?: number;
}

/** The outcome of one request: a status and the body as text, or a transport failure. */
export type ApiResponse =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'unreachable'; readonly error: string };

export function adminConnection(server: string, pki: PkiPaths): AdminConnection {
  return {
    server,
    ca: readFileSync(pki.caCert),
    cert: readFileSync(pki.adminCert),
    key: readFileSync(pki.adminKey),
  };
}

/** One HTTPS request with the admin client certificate. Never throws: transport errors are values. */
export function apiRequest(conn: AdminConnection, req: ApiRequest): Promise<ApiResponse> {
  const url = new URL(req.path, conn.server);
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  const headers: Record<string, string> = { accept: req.accept ?? 'application/json' };
  if (payload !== undefined) {
    headers['content-type'] = req.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve) => {
    const r = request(
      url,
      { method: req.method, ca: conn.ca, cert: conn.cert, key: conn.key, headers, agent: false, timeout: req.timeoutMs ?? 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ kind: 'response', status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          resolve({ kind: 'unreachable', error: e.message });
        });
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs ?? 10_000} ms`)));
    r.on('error', (e) => {
      resolve({ kind: 'unreachable', error: e.message });
    });
    r.end(payload);
  });
}

/** The `message` of a Kubernetes Status body, or the body itself. */
export function statusMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: fall through to the raw body
  }
  return body.slice(0, 500);
}
