// A small JSON client for the Kubernetes REST API with the kubeconfig's credentials: plain objects in
// and out, one keep-alive connection pool, failures as values (the status code and the body).
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  readonly method: KubeMethod;
  /** Path below the server URL, e.g. `/api/v1/namespaces/demo/services`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Default `application/json`; patches need e.g. `application/merge-patch+json`. */
  readonly contentType?: string;
}

export interface KubeResponse {
  readonly status: number;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
}

export interface KubeRest {
  readonly server: string;
  request(req: KubeRequest): Promise<KubeResponse>;
  /** Closes the pooled connections. */
  close(): void;
}

/** The message of a Kubernetes `Status` body, or the body as text. */
export function statusMessage(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    return body.message;
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** Builds a client for the kubeconfig's current context (client certificates or tokens). */
export async function createKubeRest(kubeConfig: KubeConfig, maxSockets = 32): Promise<KubeRest> {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const url = new URL(server);
  const tls: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(tls);
  const secure = url.protocol === 'https:';
  const agent = secure
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

  const request = (req: KubeRequest): Promise<KubeResponse> =>
    new Promise((resolve, reject) => {
      const target = new URL(server + req.path);
      for (const [k, v] of Object.entries(req.query ?? {})) target.searchParams.set(k, v);
      const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
      const headers: Record<string, string> = { ...baseHeaders, accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = req.contentType ?? 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const send = secure ? httpsRequest : httpRequest;
      const r = send(target, { method: req.method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            // not JSON; keep the text
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', reject);
      });
      r.on('error', reject);
      r.end(payload);
    });

  return {
    server,
    request,
    close: () => {
      agent.destroy();
    },
  };
}
