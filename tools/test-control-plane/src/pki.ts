import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of the throw-away PKI's files (PEM). */
export interface PkiPaths {
  readonly caCert: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

/** The admin client's identity: a member of system:masters, so RBAC lets it do anything. */
export const ADMIN_SUBJECT = '/O=system:masters/CN=purelb-admin';

const SERVING_EXT =
  'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' +
  'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n';
const CLIENT_EXT = 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n';
const DAYS = '7';

async function openssl(dir: string, args: readonly string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    throw new Error(
      `openssl ${args.slice(0, 2).join(' ')} failed: ${typeof stderr === 'string' ? stderr.trim() : String(error)}`,
      {
        cause: error,
      },
    );
  }
}

async function ecKey(dir: string, file: string): Promise<void> {
  await openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
}

/** A certificate to sign with the CA: files `<name>.key`/`.crt`, its subject and its extensions file's text. */
interface CertRequest {
  readonly name: string;
  readonly subject: string;
  readonly ext: string;
}

async function signedCert(dir: string, { name, subject, ext }: CertRequest): Promise<void> {
  await ecKey(dir, `${name}.key`);
  await openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  // Flag and value pairs, kept on a few lines.
  // prettier-ignore
  await openssl(dir, [
    'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-days', DAYS, '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.crt`,
  ]);
}

/**
 * Makes a throw-away PKI in `dir` with the openssl CLI: a CA, a serving certificate for 127.0.0.1,
 * ::1 and localhost, an admin client certificate (CN=purelb-admin, O=system:masters) and an EC key
 * pair that signs service-account tokens. Everything is valid for a week.
 */
export async function createPki(dir: string): Promise<PkiPaths> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await ecKey(dir, 'ca.key');
  // Flag and value pairs, kept on a few lines.
  // prettier-ignore
  await openssl(dir, [
    'req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', DAYS, '-subj', '/CN=purelb-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', 'ca.crt',
  ]);
  await signedCert(dir, { name: 'apiserver', subject: '/CN=kube-apiserver', ext: SERVING_EXT });
  await signedCert(dir, { name: 'admin', subject: ADMIN_SUBJECT, ext: CLIENT_EXT });
  await ecKey(dir, 'sa.key');
  await openssl(dir, ['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  for (const leftover of ['apiserver.csr', 'admin.csr', 'apiserver.ext', 'admin.ext', 'ca.srl']) {
    rmSync(join(dir, leftover), { force: true });
  }
  return {
    caCert: join(dir, 'ca.crt'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
}
