import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig, V1Namespace, V1ObjectMeta } from '@kubernetes/client-node';

/** A KubeConfig loaded from a kubeconfig file. */
export function loadKubeConfig(kubeconfigPath: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return kc;
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUFFIX_CHARS = 8;

/** `prefix-<8 hex>`; the prefix must be a DNS label and is shortened to keep the name ≤ 63 characters. */
export function testNamespaceName(prefix: string, random: (bytes: number) => Buffer = randomBytes): string {
  if (!LABEL.test(prefix)) {
    throw new Error(
      `namespace prefix ${JSON.stringify(prefix)} must be lower-case letters, digits and "-", starting and ending with a letter or digit`,
    );
  }
  const head = prefix.slice(0, 63 - SUFFIX_CHARS - 1).replace(/-+$/, '');
  return `${head}-${random(SUFFIX_CHARS / 2).toString('hex')}`;
}

/**
 * Creates a namespace with a unique name (`prefix-<random>`), labelled `purelb.io/test=true`, and
 * returns its name. There is no namespace controller in the test control plane: deleting a
 * namespace leaves it Terminating for ever, so tests never wait for that.
 */
export async function createTestNamespace(kc: KubeConfig, prefix: string): Promise<string> {
  const name = testNamespaceName(prefix);
  const metadata = new V1ObjectMeta();
  metadata.name = name;
  metadata.labels = { 'purelb.io/test': 'true' };
  const body = new V1Namespace();
  body.apiVersion = 'v1';
  body.kind = 'Namespace';
  body.metadata = metadata;
  await kc.makeApiClient(CoreV1Api).createNamespace({ body });
  return name;
}
