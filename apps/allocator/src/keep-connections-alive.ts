// Reuses TLS connections to the API server across requests.
//
// `KubeConfig.applyToHTTPSOptions` hands every request a new https.Agent without keep-alive, so each
// write would open (and the API server would accept) a new TLS connection. This gives every request
// the same keep-alive agent while the TLS material stays the same. (Requested for @purelb/k8s-watch
// in NEEDS.md; this goes once the library pools connections itself.)
import { Agent, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

type HttpsOptions = RequestOptions;

function tlsKey(opts: HttpsOptions): string {
  const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
  return [opts.ca, opts.cert, opts.key, opts.pfx, opts.passphrase, opts.rejectUnauthorized, opts.servername].map(text).join('\u0000');
}

export function keepConnectionsAlive(kc: KubeConfig): void {
  const cluster = kc.getCurrentCluster();
  if (cluster === null || !cluster.server.startsWith('https:') || cluster.proxyUrl !== undefined) return;
  const original = kc.applyToHTTPSOptions.bind(kc);
  let cached: { key: string; agent: Agent } | undefined;
  kc.applyToHTTPSOptions = async (opts: HttpsOptions): Promise<void> => {
    await original(opts);
    const key = tlsKey(opts);
    if (cached?.key !== key) {
      cached = {
        key,
        agent: new Agent({
          keepAlive: true,
          ...(opts.ca === undefined ? {} : { ca: opts.ca }),
          ...(opts.cert === undefined ? {} : { cert: opts.cert }),
          ...(opts.key === undefined ? {} : { key: opts.key }),
          ...(opts.pfx === undefined ? {} : { pfx: opts.pfx }),
          ...(opts.passphrase === undefined ? {} : { passphrase: opts.passphrase }),
          ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
          ...(opts.servername === undefined ? {} : { servername: opts.servername }),
        }),
      };
    }
    opts.agent = cached.agent;
  };
}
