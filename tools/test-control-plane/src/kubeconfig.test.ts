import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { renderKubeconfig } from './kubeconfig.ts';

const input = {
  server: 'https://127.0.0.1:6443',
  caPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
};

describe('renderKubeconfig', () => {
  it('is read by client-node as one cluster, one client-certificate user and their context', () => {
    const kc = new KubeConfig();
    kc.loadFromString(renderKubeconfig(input));
    expect(kc.getCurrentContext()).toBe('purelb-test');
    const cluster = kc.getCurrentCluster();
    expect(cluster?.server).toBe('https://127.0.0.1:6443');
    expect(Buffer.from(cluster?.caData ?? '', 'base64').toString()).toBe(input.caPem);
    const user = kc.getCurrentUser();
    expect(Buffer.from(user?.certData ?? '', 'base64').toString()).toBe(input.clientCertPem);
    expect(Buffer.from(user?.keyData ?? '', 'base64').toString()).toBe(input.clientKeyPem);
  });
});
