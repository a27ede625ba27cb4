// A single non-streaming request with a JSON body, answered as an ApiResult (never thrown).
import type { ClusterAccess } from './cluster-access.ts';
import { errorMessage, exchange, statusMessage } from './kube-request.ts';
import type { Query } from './kube-request.ts';
import type { ApiError, ApiErrorCode, ApiResult } from './api-result.ts';

export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
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
export async function sendJson(kubeConfig: ClusterAccess, request: JsonRequest): Promise<ApiResult<unknown>> {
  const answer = await exchange(kubeConfig, { ...request, timeoutMs: request.timeoutMs ?? 30_000 });
  if (!answer.ok)
    return { ok: false, error: { code: 'Unavailable', status: undefined, message: answer.error.message } };
  const { status, body } = answer.value;
  if (status < 200 || status > 299) return { ok: false, error: apiError(status, body) };
  if (body.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, error: { code: 'Unknown', status, message: `answer is not JSON: ${errorMessage(error)}` } };
  }
}

/** Maps an HTTP error answer (and its Status body) to an ApiError. */
export function apiError(status: number, body: string): ApiError {
  let reason: unknown;
  try {
    reason = (JSON.parse(body) as { reason?: unknown }).reason;
  } catch {
    reason = undefined;
  }
  return { code: codeOf(status, reason), status, message: statusMessage(status, body) };
}

function codeOf(status: number, reason: unknown): ApiErrorCode {
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
