// Where the API server listens, from a URL or a host and port; it must be a loopback address, the
// one kind of address that exists (privately) in every namespace.
import { isIP } from 'node:net';

export interface ApiServerAddress {
  /** An IP literal: 127.0.0.0/8 or ::1. */
  readonly host: string;
  readonly port: number;
}

export type ApiServerProblemCode = 'InvalidApiServer';

export type ApiServerResult =
  | { readonly ok: true; readonly value: ApiServerAddress }
  | { readonly ok: false; readonly error: { readonly code: ApiServerProblemCode; readonly message: string } };

const problem = (message: string): ApiServerResult => ({ ok: false, error: { code: 'InvalidApiServer', message } });

function isLoopback(host: string): boolean {
  return (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
}

/** `https://127.0.0.1:6443` or `{ host, port }` as a loopback address and port. */
export function parseApiServer(input: string | ApiServerAddress): ApiServerResult {
  let host: string;
  let port: number;
  if (typeof input === 'string') {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      return problem(`API server ${JSON.stringify(input)} is not a URL`);
    }
    host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    port = url.port === '' ? (url.protocol === 'http:' ? 80 : 443) : Number(url.port);
  } else {
    ({ host, port } = input);
  }
  if (!isLoopback(host)) {
    return problem(`API server host ${host} is not a loopback address (127.0.0.0/8 or ::1), which the lab can relay`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return problem(`API server port ${port} is not a port`);
  return { ok: true, value: { host, port } };
}
