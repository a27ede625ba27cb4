export interface KubeconfigInput {
  readonly server: string;
  readonly caPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/** A kubeconfig with one cluster, one client-certificate user and one context, all named `purelb-test`. */
export function renderKubeconfig(input: KubeconfigInput): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: purelb-test',
    '  cluster:',
    `    server: ${input.server}`,
    `    certificate-authority-data: ${b64(input.caPem)}`,
    'users:',
    '- name: purelb-test',
    '  user:',
    `    client-certificate-data: ${b64(input.clientCertPem)}`,
    `    client-key-data: ${b64(input.clientKeyPem)}`,
    'contexts:',
    '- name: purelb-test',
    '  context:',
    '    cluster: purelb-test',
    '    user: purelb-test',
    'current-context: purelb-test',
    '',
  ].join('\n');
}
