import { describe, expect, it } from 'vitest';
import { parseApiServer } from './api-server-address.ts';

describe('parseApiServer', () => {
  it.each([
    ['https://127.0.0.1:6443', { host: '127.0.0.1', port: 6443 }],
    ['https://[::1]:36001/', { host: '::1', port: 36001 }],
    ['https://127.0.0.2', { host: '127.0.0.2', port: 443 }],
    [
      { host: '127.0.0.1', port: 1 },
      { host: '127.0.0.1', port: 1 },
    ],
  ])('%j is %j', (input, value) => {
    expect(parseApiServer(input)).toEqual({ ok: true, value });
  });

  it.each([
    [
      'https://10.0.0.1:6443',
      'API server host 10.0.0.1 is not a loopback address (127.0.0.0/8 or ::1), which the lab can relay',
    ],
    [
      'https://localhost:6443',
      'API server host localhost is not a loopback address (127.0.0.0/8 or ::1), which the lab can relay',
    ],
    ['not a url', 'API server "not a url" is not a URL'],
    [{ host: '::1', port: 70000 }, 'API server port 70000 is not a port'],
  ])('%j is refused', (input, message) => {
    expect(parseApiServer(input)).toEqual({ ok: false, error: { code: 'InvalidApiServer', message } });
  });
});
