// One HTTP(S) request/answer with the body collected as text: the transport under both the admin
// requests of the control plane's own start-up and the keep-alive client for tests and tools.
import { request as httpRequest } from 'node:http';
import type { Agent as HttpAgent } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';

export interface Exchange {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text (or any text) to send; no body when undefined. */
  readonly payload?: string;
  /** The connection pool (and for HTTPS the TLS credentials), or `false` for a one-off connection. */
  readonly agent: HttpAgent | HttpsAgent | false;
  /** TLS credentials when `agent` is `false`. */
  readonly tls?: { readonly ca?: Buffer; readonly cert?: Buffer; readonly key?: Buffer };
  /** Gives up (rejects) when no answer arrives within this many milliseconds. */
  readonly timeoutMs?: number;
}

export interface ExchangeAnswer {
  readonly status: number;
  readonly text: string;
}

/** Sends one request; resolves with any HTTP answer, rejects only on transport failures. */
export function httpExchange(ex: Exchange): Promise<ExchangeAnswer> {
  const headers: Record<string, string> = { ...ex.headers };
  if (ex.payload !== undefined) headers['content-length'] = String(Buffer.byteLength(ex.payload));
  const send = ex.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const r = send(
      ex.url,
      {
        method: ex.method,
        headers,
        agent: ex.agent,
        ...(ex.tls ?? {}),
        ...(ex.timeoutMs === undefined ? {} : { timeout: ex.timeoutMs }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${String(ex.timeoutMs)} ms`)));
    r.on('error', reject);
    r.end(ex.payload);
  });
}

/** The `message` of a Kubernetes Status body (parsed or as JSON text), or the body as text. */
export function statusMessage(body: unknown): string {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.slice(0, 500);
    }
  }
  if (typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string') {
    return value.message;
  }
  return typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body);
}
