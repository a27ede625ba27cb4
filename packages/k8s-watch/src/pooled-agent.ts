// One keep-alive HTTPS agent per kubeconfig and TLS identity.
//
// `KubeConfig.applyToHTTPSOptions` (client-node) puts a fresh agent without keep-alive on every request, so each
// write would open (and the API server accept) a new TLS connection. Requests made through this
// library share one keep-alive agent per kubeconfig instead; a new agent is made only when the TLS
// material (CA, client certificate, key, verification settings) changes.
import { Agent } from 'node:https';
import type { AgentOptions, RequestOptions } from 'node:https';
import type { ClusterAccess } from './cluster-access.ts';

const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

const agents = new WeakMap<ClusterAccess, { readonly identity: string; readonly agent: Agent }>();

function text(value: unknown): string {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'string') return value;
  return value === undefined ? '' : JSON.stringify(value);
}

/** Replaces `options.agent` by the kubeconfig's shared keep-alive agent for the same TLS material. */
export function usePooledAgent(kubeConfig: ClusterAccess, options: RequestOptions): Agent {
  const identity = TLS_FIELDS.map((field) => text(options[field])).join('\u0000');
  let entry = agents.get(kubeConfig);
  if (entry?.identity !== identity) {
    entry?.agent.destroy();
    const tls: AgentOptions = { keepAlive: true };
    for (const field of TLS_FIELDS) if (options[field] !== undefined) Object.assign(tls, { [field]: options[field] });
    entry = { identity, agent: new Agent(tls) };
    agents.set(kubeConfig, entry);
  }
  options.agent = entry.agent;
  return entry.agent;
}
