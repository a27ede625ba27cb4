// The outcome of a request to the API server, read or write: a value, or a failure from a closed set.
// Never thrown.

/** Why a request failed. Closed, but may grow in a minor release: keep a default branch. */
export type ApiErrorCode =
  'NotFound' | 'Conflict' | 'AlreadyExists' | 'Invalid' | 'Forbidden' | 'Unauthorized' | 'Unavailable' | 'Unknown';

export interface ApiError {
  readonly code: ApiErrorCode;
  readonly message: string;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** A JSON value, as written in merge patches (`null` deletes a field). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };
