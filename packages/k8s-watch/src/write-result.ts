// Outcome of a write to the API server: a value, or a typed error from a closed set. Never thrown.

export type WriteErrorCode =
  | 'NotFound'
  | 'Conflict'
  | 'AlreadyExists'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'Unavailable'
  | 'Unknown';

export interface WriteError {
  readonly code: WriteErrorCode;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  readonly message: string;
}

export type WriteResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WriteError };

/** A JSON value, as written in merge patches (`null` deletes a field). */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };
