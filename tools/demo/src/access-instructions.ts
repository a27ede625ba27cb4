// The text the demo prints after the table: how to look at the running cluster yourself.

/** Where a kubectl could come from on this machine. */
export type KubectlAvailability =
  | { readonly kind: 'on-path'; readonly path: string }
  | { readonly kind: 'apt'; readonly packageName: string; readonly version: string }
  | { readonly kind: 'missing' };

/** Files with the control plane's CA and the demo's client certificate, for curl. */
export interface ClientCredentialFiles {
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export interface AccessInstructionsInput {
  readonly kubeconfigPath: string;
  /** API server URL, e.g. `https://127.0.0.1:6443`. */
  readonly server: string;
  readonly installNamespace: string;
  readonly serviceNamespace: string;
  /** The allocator's metrics endpoint, e.g. `http://127.0.0.1:40123/metrics`. */
  readonly metricsUrl: string;
  readonly kubectl: KubectlAvailability;
  readonly credentials: ClientCredentialFiles | undefined;
  /** Whether the demo keeps running (else it is about to tear down). */
  readonly staysUp: boolean;
}

/**
 * Reads the candidate version out of `apt-cache policy PACKAGE` output; undefined when apt knows no
 * installable version.
 */
export function parseAptCandidate(policyOutput: string): string | undefined {
  const m = /^\s*Candidate:\s*(\S+)\s*$/m.exec(policyOutput);
  const version = m?.[1];
  return version === undefined || version === '(none)' ? undefined : version;
}

function kubectlLines(k: KubectlAvailability): string[] {
  switch (k.kind) {
    case 'on-path':
      return [`kubectl found at ${k.path}.`];
    case 'apt':
      return [
        'kubectl is not installed. Debian packages it:',
        `  apt-get install ${k.packageName}      # candidate ${k.version}; an older client is fine for get/describe`,
      ];
    case 'missing':
      return ['kubectl is not installed and apt offers no package for it; curl works as shown below.'];
  }
}

/** Builds the instructions; one string with a trailing newline. */
export function formatAccessInstructions(input: AccessInstructionsInput): string {
  const ns = input.serviceNamespace;
  const lines = [
    `Control plane: ${input.server}`,
    '',
    'Look around with kubectl:',
    `  export KUBECONFIG=${input.kubeconfigPath}`,
    `  kubectl get servicegroups -n ${input.installNamespace}`,
    `  kubectl get services -n ${ns} -o wide`,
    `  kubectl get service dual-require -n ${ns} -o jsonpath='{.status.loadBalancer.ingress}'`,
    `  kubectl describe service shared-web -n ${ns}`,
    '',
    ...kubectlLines(input.kubectl),
  ];
  if (input.credentials !== undefined) {
    const c = input.credentials;
    lines.push(
      '',
      'Or with curl and the client certificate:',
      `  curl --cacert ${c.caFile} --cert ${c.certFile} --key ${c.keyFile} \\`,
      `    ${input.server}/api/v1/namespaces/${ns}/services`,
    );
  }
  lines.push('', `Allocator metrics: curl ${input.metricsUrl}`, '');
  lines.push(
    input.staysUp
      ? 'Everything keeps running. Press Ctrl-C to stop the allocator and the control plane and remove the temporary files.'
      : 'Tearing down (--once).',
  );
  return `${lines.join('\n')}\n`;
}
