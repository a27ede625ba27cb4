import { etcdArgs } from './component-args.ts';
import { logTail, startProcess, stopProcess } from './managed-process.ts';
import type { ProcessRecord } from './managed-process.ts';
import { waitUntil } from './wait-until.ts';

export interface StartEtcdInput {
  readonly binary: string;
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
  readonly logPath: string;
  readonly timeoutMs: number;
  /** Called as soon as the process exists, before it is ready (to record it for clean-up). */
  readonly onSpawn?: (record: ProcessRecord) => void;
}

/** Starts etcd and waits until `GET /health` says healthy. Stops it again if it never does. */
export async function startEtcd(input: StartEtcdInput): Promise<{ record: ProcessRecord; url: string }> {
  const url = `http://127.0.0.1:${input.clientPort}`;
  const started = await startProcess(input.binary, etcdArgs(input), input.logPath);
  input.onSpawn?.(started.record);
  try {
    await waitUntil(
      async () => {
        const exit = started.exited();
        if (exit !== undefined)
          return { kind: 'failed', reason: `etcd exited (code ${exit.code}, signal ${exit.signal})` };
        try {
          const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
          const body = (await res.json()) as { health?: unknown };
          return body.health === 'true'
            ? { kind: 'done', value: undefined }
            : { kind: 'pending', reason: `health ${JSON.stringify(body)}` };
        } catch (error) {
          return { kind: 'pending', reason: (error as Error).message };
        }
      },
      { what: 'etcd to report healthy', timeoutMs: input.timeoutMs },
    );
  } catch (error) {
    await stopProcess(started.record, 2_000);
    throw new Error(`${(error as Error).message}\n--- etcd log (${input.logPath}) ---\n${logTail(input.logPath)}`, {
      cause: error,
    });
  }
  return { record: started.record, url };
}

interface EtcdHeader {
  readonly header?: { readonly revision?: string };
}

async function etcdPost(url: string, path: string, body: unknown): Promise<EtcdHeader> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`etcd ${path}: HTTP ${res.status}: ${text}`);
  return JSON.parse(text) as EtcdHeader;
}

const MARKER_KEY = Buffer.from('/purelb-test/compaction-marker').toString('base64');

/**
 * Compacts etcd's history through its gRPC gateway: writes a marker key outside `/registry` (so the
 * revision moves past everything the API server has seen), then compacts at that revision. Returns
 * the revision. Afterwards every older resourceVersion is gone from etcd; requests the API server
 * sends to etcd for them fail with 410 Gone. The API server's watch cache still remembers recent
 * events until it restarts (see `ControlPlane.restartApiServer({ compactEtcd: true })`).
 */
export async function compactEtcd(url: string): Promise<number> {
  const put = await etcdPost(url, '/v3/kv/put', { key: MARKER_KEY, value: Buffer.from('1').toString('base64') });
  const revision = Number(put.header?.revision);
  if (!Number.isSafeInteger(revision) || revision <= 0)
    throw new Error(`etcd put returned no revision: ${JSON.stringify(put)}`);
  await etcdPost(url, '/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
