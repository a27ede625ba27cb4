import { describe, expect, it } from 'vitest';
import { formatAccessInstructions, parseAptCandidate } from './access-instructions.ts';
import type { AccessInstructionsInput } from './access-instructions.ts';

const input: AccessInstructionsInput = {
  kubeconfigPath: '/tmp/cp-1/kubeconfig',
  server: 'https://127.0.0.1:40001',
  installNamespace: 'purelb',
  serviceNamespace: 'demo',
  metricsUrl: 'http://127.0.0.1:40002/metrics',
  kubectl: { kind: 'on-path', path: '/usr/bin/kubectl' },
  credentials: { caFile: '/tmp/d/ca.crt', certFile: '/tmp/d/client.crt', keyFile: '/tmp/d/client.key' },
  staysUp: true,
};

describe('parseAptCandidate', () => {
  it('reads the candidate version', () => {
    const out = [
      'kubernetes-client:',
      '  Installed: (none)',
      '  Candidate: 1.20.5+really1.20.2-1.1+deb12u1',
      '  Version table:',
      '     1.20.5+really1.20.2-1.1+deb12u1 500',
    ].join('\n');
    expect(parseAptCandidate(out)).toBe('1.20.5+really1.20.2-1.1+deb12u1');
  });

  it.each([
    ['kubernetes-client:\n  Installed: (none)\n  Candidate: (none)\n'],
    [''],
    ['N: Unable to locate package kubectl\n'],
  ])('finds nothing in %j', (out) => {
    expect(parseAptCandidate(out)).toBeUndefined();
  });
});

describe('formatAccessInstructions', () => {
  it('exports KUBECONFIG and shows kubectl commands for both namespaces', () => {
    const text = formatAccessInstructions(input);
    expect(text).toContain('export KUBECONFIG=/tmp/cp-1/kubeconfig\n');
    expect(text).toContain('kubectl get servicegroups -n purelb');
    expect(text).toContain('kubectl get services -n demo -o wide');
    expect(text).toContain('kubectl found at /usr/bin/kubectl.');
    expect(text).toContain('Press Ctrl-C');
  });

  it('tells how to install kubectl from apt when it is missing and apt has it', () => {
    const text = formatAccessInstructions({
      ...input,
      kubectl: { kind: 'apt', packageName: 'kubernetes-client', version: '1.20.2' },
    });
    expect(text).toContain('apt-get install kubernetes-client');
    expect(text).not.toContain('kubectl found');
  });

  it('points to curl when no kubectl can be had', () => {
    const text = formatAccessInstructions({ ...input, kubectl: { kind: 'missing' } });
    expect(text).toContain('apt offers no package');
    expect(text).toContain(
      'curl --cacert /tmp/d/ca.crt --cert /tmp/d/client.crt --key /tmp/d/client.key \\\n    https://127.0.0.1:40001/api/v1/namespaces/demo/services',
    );
  });

  it('leaves curl out when no credential files were written, and says when it tears down', () => {
    const text = formatAccessInstructions({ ...input, credentials: undefined, staysUp: false });
    expect(text).not.toContain('--cacert');
    expect(text).toContain('Tearing down (--once).');
    expect(text).not.toContain('Ctrl-C');
  });
});
