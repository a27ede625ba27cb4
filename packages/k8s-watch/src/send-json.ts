// A single non-streaming request with a JSON body, answered as a WriteResult (never thrown).
import type { IncomingMessage } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { errorMessage, openRequest, statusMessage, type Query } from './kube-request.ts';
import type { WriteError, WriteErrorCode, WriteResult } from './write-result.ts';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_CONTENT = 'application/json';

export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  /** Required with a body: there is no default patch type on purpose. */
  readonly contentType?: string;
  readonly timeoutMs?: number;
}

/** Sends the request; a 2xx answer yields its parsed JSON body (undefined when empty). */
export async function sendJson(kubeConfig: KubeConfig, request: JsonRequest): Promise<WriteResult<unknown>> {
  let req;
  try {
    req = await openRequest(kubeConfig, request.path, request.query ?? {}, request.method, request.contentType);
  } catch (error) {
    return { ok: false, error: { code: 'Unavailable', status: undefined, message: errorMessage(error) } };
  }
  const timeoutMs = request.timeoutMs ?? 30_000;
  return new Promise<WriteResult<unknown>>((resolve) => {
    let settled = false;
    const done = (result: WriteResult<unknown>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, error: { code: 'Unavailable', status: undefined, message: `${request.method} ${request.path}: no answer within ${timeoutMs} ms` } });
    }, timeoutMs);
    timer.unref();
    req.on('error', (error) => {
      done({ ok: false, error: { code: 'Unavailable', status: undefined, message: errorMessage(error) } });
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => {
        done({ ok: false, error: { code: 'Unavailable', status: undefined, message: errorMessage(error) } });
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8');
        if (status < 200 || status > 299) {
          done({ ok: false, error: writeError(status, text) });
          return;
        }
        if (text.trim() === '') {
          done({ ok: true, value: undefined });
          return;
        }
        try {
          done({ ok: true, value: JSON.parse(text) as unknown });
        } catch (error) {
          done({ ok: false, error: { code: 'Unknown', status, message: `answer is not JSON: ${errorMessage(error)}` } });
        }
      });
    });
    if (request.body !== undefined) {
      const payload = Buffer.from(JSON.stringify(request.body), 'utf8');
      req.setHeader('Content-Length', payload.length);
      req.end(payload);
    } else {
      req.end();
    }
  });
}

/** Maps an HTTP error answer (and its Status body) to a WriteError. */
export function writeError(status: number, body: string): WriteError {
  let reason: unknown;
  try {
    reason = (JSON.parse(body) as { reason?: unknown }).reason;
  } catch {
    reason = undefined;
  }
  return { code: codeOf(status, reason), status, message: statusMessage(status, body) };
}

function codeOf(status: number, reason: unknown): WriteErrorCode {
  if (reason === 'AlreadyExists') return 'AlreadyExists';
  switch (status) {
    case 400:
    case 422:
      return 'Invalid';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return 'Unavailable';
    default:
      return 'Unknown';
  }
}

/** The metadata.resourceVersion of an answer, if any. */
export function resourceVersionOf(value: unknown): string | undefined {
  const rv = (value as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
}
