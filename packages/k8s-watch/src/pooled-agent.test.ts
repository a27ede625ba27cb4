import { KubeConfig } from '@kubernetes/client-node';
import type { RequestOptions } from 'node:https';
import { describe, expect, it } from 'vitest';
import { usePooledAgent } from './pooled-agent.ts';

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

describe('usePooledAgent', () => {
  it('hands every request of one kubeconfig the same keep-alive agent', () => {
    const kc = kubeConfig();
    const a: RequestOptions = { ca: 'CA', cert: 'CERT', key: 'KEY' };
    const b: RequestOptions = { ca: 'CA', cert: 'CERT', key: 'KEY' };
    const first = usePooledAgent(kc, a);
    expect(usePooledAgent(kc, b)).toBe(first);
    expect(a.agent).toBe(first);
    expect(b.agent).toBe(first);
    expect(first.options.keepAlive).toBe(true);
    expect(first.options.ca).toBe('CA');
  });

  it('makes a new agent when the TLS material changes, and keeps kubeconfigs apart', () => {
    const kc = kubeConfig();
    const before = usePooledAgent(kc, { ca: 'CA', cert: 'OLD' });
    const after = usePooledAgent(kc, { ca: 'CA', cert: 'NEW' });
    expect(after).not.toBe(before);
    expect(after.options.cert).toBe('NEW');
    expect(usePooledAgent(kubeConfig(), { ca: 'CA', cert: 'NEW' })).not.toBe(after);
  });
});
