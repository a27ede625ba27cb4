import type { PkiPaths } from './pki.ts';

export interface EtcdArgsInput {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

/** etcd's command line: one member on loopback, no fsync (test data is throw-away). */
export function etcdArgs(input: EtcdArgsInput): string[] {
  const client = `http://127.0.0.1:${input.clientPort}`;
  const peer = `http://127.0.0.1:${input.peerPort}`;
  return [
    '--name=purelb-test',
    `--data-dir=${input.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=purelb-test=${peer}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export interface ApiServerArgsInput {
  readonly etcdUrl: string;
  readonly port: number;
  readonly pki: PkiPaths;
  /** Where kube-apiserver may write generated certificates (it writes none with these flags). */
  readonly certDir: string;
  /** Appended last, so a flag given here overrides the default of the same name. */
  readonly extraArgs?: readonly string[];
}

/** The service CIDRs the API server allocates ClusterIPs from: dual-stack, room for 65k Services. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16,fd00:10:96::/108';

/**
 * kube-apiserver's command line, the flags envtest uses: client-certificate authentication against
 * the throw-away CA, RBAC, no ServiceAccount admission (no controller creates `default` accounts),
 * a service-account issuer and key pair, and loopback everywhere.
 */
export function apiServerArgs(input: ApiServerArgsInput): string[] {
  return [
    `--etcd-servers=${input.etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${input.port}`,
    `--tls-cert-file=${input.pki.servingCert}`,
    `--tls-private-key-file=${input.pki.servingKey}`,
    `--client-ca-file=${input.pki.caCert}`,
    '--authorization-mode=RBAC',
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    `--service-account-issuer=https://127.0.0.1:${input.port}`,
    `--service-account-key-file=${input.pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${input.pki.serviceAccountKey}`,
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    `--cert-dir=${input.certDir}`,
    '--profiling=false',
    ...(input.extraArgs ?? []),
  ];
}
