import { readFileSync } from 'node:fs';
import { httpExchange } from './http-exchange.ts';
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
export async function apiRequest(conn: AdminConnection, req: ApiRequest): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: req.accept ?? 'application/json' };
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  if (payload !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
  try {
    const answer = await httpExchange({
      url: new URL(req.path, conn.server),
      method: req.method,
      headers,
      ...(payload === undefined ? {} : { payload }),
      agent: false,
      tls: { ca: conn.ca, cert: conn.cert, key: conn.key },
      timeoutMs: req.timeoutMs ?? 10_000,
    });
    return { kind: 'response', status: answer.status, body: answer.text };
  } catch (error) {
    return { kind: 'unreachable', error: (error as Error).message };
  }
}
