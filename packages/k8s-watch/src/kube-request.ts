// One HTTP(S) request to the API server with the kubeconfig's TLS settings and credentials.
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { usePooledAgent } from './pooled-agent.ts';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** Opens a request; rejects only when the kubeconfig cannot produce one (no cluster, bad credentials). */
export async function openRequest(
  kubeConfig: KubeConfig,
  path: string,
  query: Query,
  method = 'GET',
  contentType?: string,
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
