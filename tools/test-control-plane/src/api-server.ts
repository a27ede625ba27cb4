import { apiRequest } from './api-request.ts';
import type { AdminConnection } from './api-request.ts';
import { statusMessage } from './http-exchange.ts';
import { logTail, startProcess, stopProcess } from './managed-process.ts';
import type { ProcessRecord } from './managed-process.ts';
import { waitUntil } from './wait-until.ts';

export interface StartApiServerInput {
  readonly binary: string;
  readonly args: readonly string[];
  readonly logPath: string;
  readonly conn: AdminConnection;
  readonly timeoutMs: number;
  /** Called as soon as the process exists, before it is ready (to record it for clean-up). */
  readonly onSpawn?: (record: ProcessRecord) => void;
}

/**
 * Starts kube-apiserver and waits until `/readyz` answers 200 to the admin client certificate and the
 * `default` namespace exists. On failure it stops the process and throws with `/readyz?verbose` and
 * the end of the log.
 */
export async function startApiServer(input: StartApiServerInput): Promise<ProcessRecord> {
  const started = await startProcess(input.binary, input.args, input.logPath);
  input.onSpawn?.(started.record);
  try {
    await waitUntil(
      async () => {
        const exit = started.exited();
        if (exit !== undefined)
          return { kind: 'failed', reason: `kube-apiserver exited (code ${exit.code}, signal ${exit.signal})` };
        const res = await apiRequest(input.conn, { method: 'GET', path: '/readyz', timeoutMs: 5_000 });
        switch (res.kind) {
          case 'unreachable':
            return { kind: 'pending', reason: res.error };
          case 'response':
            return res.status === 200
              ? { kind: 'done', value: undefined }
              : { kind: 'pending', reason: `/readyz ${res.status}` };
        }
      },
      { what: 'kube-apiserver /readyz', timeoutMs: input.timeoutMs },
    );
    await waitUntil(
      async () => {
        const res = await apiRequest(input.conn, { method: 'GET', path: '/api/v1/namespaces/default' });
        if (res.kind === 'response' && res.status === 200) return { kind: 'done', value: undefined };
        return {
          kind: 'pending',
          reason: res.kind === 'response' ? `${res.status} ${statusMessage(res.body)}` : res.error,
        };
      },
      { what: 'the default namespace', timeoutMs: input.timeoutMs },
    );
    await waitForCustomResources(input.conn, input.timeoutMs);
  } catch (error) {
    const verbose = await apiRequest(input.conn, { method: 'GET', path: '/readyz?verbose', timeoutMs: 5_000 });
    await stopProcess(started.record, 5_000);
    const readyz = verbose.kind === 'response' ? verbose.body : verbose.error;
    throw new Error(
      `${(error as Error).message}\n--- /readyz?verbose ---\n${readyz}\n--- kube-apiserver log (${input.logPath}) ---\n${logTail(input.logPath)}`,
      { cause: error },
    );
  }
  return started.record;
}

interface CrdList {
  readonly items?: readonly {
    readonly spec: {
      readonly group: string;
      readonly names: { readonly plural: string };
      readonly versions: readonly { readonly name: string; readonly served: boolean }[];
    };
  }[];
}

/**
 * Waits until every served version of every CRD can be listed. Right after a CRD is established or
 * the API server restarts, lists answer 429 "storage is (re)initializing" for a moment.
 */
export async function waitForCustomResources(conn: AdminConnection, timeoutMs: number): Promise<void> {
  const res = await apiRequest(conn, {
    method: 'GET',
    path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  });
  if (res.kind !== 'response' || res.status !== 200) {
    throw new Error(
      `listing CRDs: ${res.kind === 'response' ? `${res.status} ${statusMessage(res.body)}` : res.error}`,
    );
  }
  const paths = ((JSON.parse(res.body) as CrdList).items ?? []).flatMap((crd) =>
    crd.spec.versions
      .filter((v) => v.served)
      .map((v) => `/apis/${crd.spec.group}/${v.name}/${crd.spec.names.plural}?limit=1`),
  );
  for (const path of paths) {
    await waitUntil(
      async () => {
        const list = await apiRequest(conn, { method: 'GET', path });
        if (list.kind === 'response' && list.status === 200) return { kind: 'done', value: undefined };
        return {
          kind: 'pending',
          reason: list.kind === 'response' ? `${list.status} ${statusMessage(list.body)}` : list.error,
        };
      },
      { what: `${path} to be listable`, timeoutMs },
    );
  }
}
