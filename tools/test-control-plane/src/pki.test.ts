import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki } from './pki.ts';
import type { PkiPaths } from './pki.ts';

let dir: string;
let pki: PkiPaths;
const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pki-test-'));
  pki = await createPki(join(dir, 'pki'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('createPki', () => {
  it('leaves only keys and certificates', () => {
    expect(readdirSync(join(dir, 'pki')).sort()).toEqual([
      'admin.crt',
      'admin.key',
      'apiserver.crt',
      'apiserver.key',
      'ca.crt',
      'ca.key',
      'sa.key',
      'sa.pub',
    ]);
  });

  it('signs both leaf certificates with the CA', () => {
    expect(openssl('verify', '-CAfile', pki.caCert, pki.servingCert, pki.adminCert)).toBe(
      `${pki.servingCert}: OK\n${pki.adminCert}: OK\n`,
    );
  });

  it('makes a serving certificate for loopback', () => {
    const text = openssl('x509', '-in', pki.servingCert, '-noout', '-ext', 'subjectAltName,extendedKeyUsage');
    expect(text).toContain('IP Address:127.0.0.1');
    expect(text).toContain('IP Address:0:0:0:0:0:0:0:1');
    expect(text).toContain('DNS:localhost');
    expect(text).toContain('TLS Web Server Authentication');
  });

  it('makes an admin client certificate in system:masters', () => {
    expect(openssl('x509', '-in', pki.adminCert, '-noout', '-subject').trim()).toBe(
      'subject=O = system:masters, CN = purelb-admin',
    );
    expect(openssl('x509', '-in', pki.adminCert, '-noout', '-ext', 'extendedKeyUsage')).toContain(
      'TLS Web Client Authentication',
    );
  });

  it('makes a service-account key pair whose halves match', () => {
    const fromPrivate = openssl('pkey', '-in', pki.serviceAccountKey, '-pubout');
    const pub = openssl('pkey', '-pubin', '-in', pki.serviceAccountPub);
    expect(fromPrivate).toBe(pub);
  });
});
