// Writes the control plane's CA and the current user's client certificate as files, for curl.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClientCredentialFiles } from './access-instructions.ts';

/**
 * Puts `ca.crt`, `client.crt` and `client.key` into `dir` from the kubeconfig's current context
 * (inline `*-data` or referenced files). Undefined when the context has no client certificate.
 */
export function writeClientCredentials(kubeConfig: KubeConfig, dir: string): ClientCredentialFiles | undefined {
  const cluster = kubeConfig.getCurrentCluster();
  const user = kubeConfig.getCurrentUser();
  if (cluster === null || user === null) return undefined;
  const files: ClientCredentialFiles = {
    caFile: join(dir, 'ca.crt'),
    certFile: join(dir, 'client.crt'),
    keyFile: join(dir, 'client.key'),
  };
  const put = (target: string, data: string | undefined, file: string | undefined): boolean => {
    if (data !== undefined && data !== '') {
      writeFileSync(target, Buffer.from(data, 'base64'), { mode: 0o600 });
      return true;
    }
    if (file !== undefined && file !== '') {
      copyFileSync(file, target);
      return true;
    }
    return false;
  };
  const ok =
    put(files.caFile, cluster.caData, cluster.caFile) &&
    put(files.certFile, user.certData, user.certFile) &&
    put(files.keyFile, user.keyData, user.keyFile);
  return ok ? files : undefined;
}
