// The real WatchTransport: paged list and streaming watch requests over HTTP(S), credentials from the kubeconfig.
import type { IncomingMessage } from 'node:http';
import type { ClusterAccess } from './cluster-access.ts';
import { errorMessage, exchange, openRequest, readBody, statusMessage } from './kube-request.ts';
import type {
  ListRequest,
  ListResult,
  WatchEvent,
  WatchFailure,
  WatchHandlers,
  WatchRequest,
  WatchStream,
  WatchTransport,
} from './watch-types.ts';

/** A list request that has not answered within this time fails with `Timeout`. */
const LIST_TIMEOUT_MS = 60_000;

export function createKubeTransport(kubeConfig: ClusterAccess): WatchTransport {
  return {
    list: (request) => list(kubeConfig, request),
    watch: (request, handlers) => watch(kubeConfig, request, handlers),
  };
}

async function list(kubeConfig: ClusterAccess, request: ListRequest): Promise<ListResult> {
  const answer = await exchange(kubeConfig, {
    method: 'GET',
    path: request.path,
    query: {
      limit: request.limit,
      continue: request.continueToken,
      labelSelector: request.labelSelector,
      fieldSelector: request.fieldSelector,
    },
    timeoutMs: LIST_TIMEOUT_MS,
  });
  return answer.ok ? decodeList(answer.value.status, answer.value.body) : answer;
}

function decodeList(status: number, body: string): ListResult {
  if (status === 410) return { ok: false, error: { code: 'Gone', message: statusMessage(status, body) } };
  if (status < 200 || status > 299)
    return { ok: false, error: { code: 'HttpStatus', status, message: statusMessage(status, body) } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: { code: 'Undecodable', message: `list body is not JSON: ${errorMessage(error)}` } };
  }
  const list = parsed as { items?: unknown; metadata?: { resourceVersion?: unknown; continue?: unknown } };
  const resourceVersion = list.metadata?.resourceVersion;
  if (!Array.isArray(list.items) || typeof resourceVersion !== 'string') {
    return {
      ok: false,
      error: { code: 'Undecodable', message: 'list body has no items or no metadata.resourceVersion' },
    };
  }
  const continueToken =
    typeof list.metadata?.continue === 'string' && list.metadata.continue !== '' ? list.metadata.continue : undefined;
  return { ok: true, value: { items: list.items as unknown[], resourceVersion, continueToken } };
}

/** Decodes one line of a watch stream; undefined when it is not a watch event. */
export function decodeWatchLine(line: string): WatchEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  switch (type) {
    case 'ADDED':
    case 'MODIFIED':
    case 'DELETED':
      return typeof object === 'object' && object !== null ? { type, object } : undefined;
    case 'BOOKMARK': {
      const rv = (object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
      return typeof rv === 'string' ? { type, resourceVersion: rv } : undefined;
    }
    case 'ERROR': {
      const status = (object ?? {}) as { code?: unknown; reason?: unknown; message?: unknown };
      return {
        type,
        code: typeof status.code === 'number' ? status.code : undefined,
        reason: typeof status.reason === 'string' ? status.reason : undefined,
        message: typeof status.message === 'string' ? status.message : 'watch error',
      };
    }
    default:
      return undefined;
  }
}

function watch(kubeConfig: ClusterAccess, request: WatchRequest, handlers: WatchHandlers): WatchStream {
  let finished = false;
  let destroy: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const finish = (failure: WatchFailure | undefined): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    destroy?.();
    handlers.onEnd(failure);
  };
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      finish({
        code: 'Timeout',
        message: `watch ${request.path}: nothing received for ${request.inactivityTimeoutMs} ms`,
      });
    }, request.inactivityTimeoutMs);
    timer.unref();
  };

  openRequest(kubeConfig, {
    path: request.path,
    query: {
      watch: 1,
      allowWatchBookmarks: true,
      resourceVersion: request.resourceVersion,
      timeoutSeconds: request.timeoutSeconds,
      labelSelector: request.labelSelector,
      fieldSelector: request.fieldSelector,
    },
  }).then(
    (req) => {
      req.on('error', () => {
        // reported through `finish` below, or irrelevant once cancelled
      });
      if (finished) {
        req.destroy();
        return;
      }
      destroy = () => req.destroy();
      arm();
      req.on('error', (error) => {
        finish({ code: 'Network', message: errorMessage(error) });
      });
      req.on('response', (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          void readBody(res)
            .catch(() => '')
            .then((body) => {
              finish(
                status === 410
                  ? { code: 'Gone', message: statusMessage(status, body) }
                  : { code: 'HttpStatus', status, message: statusMessage(status, body) },
              );
            });
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        const deliver = (line: string): void => {
          if (finished || line.trim() === '') return;
          const event = decodeWatchLine(line);
          if (event === undefined)
            finish({ code: 'Undecodable', message: `undecodable watch line: ${line.slice(0, 200)}` });
          else handlers.onEvent(event);
        };
        res.on('data', (chunk: string) => {
          arm();
          const lines = (buffer + chunk).split('\n');
          buffer = lines.pop() ?? '';
          for (const line of lines) deliver(line);
        });
        res.on('end', () => {
          deliver(buffer);
          finish(undefined);
        });
        res.on('aborted', () => {
          finish({ code: 'Network', message: 'watch response aborted' });
        });
        res.on('error', (error) => {
          finish({ code: 'Network', message: errorMessage(error) });
        });
        res.on('close', () => {
          finish(res.complete ? undefined : { code: 'Network', message: 'watch connection closed' });
        });
      });
      req.end();
    },
    (error: unknown) => {
      finish({ code: 'Network', message: errorMessage(error) });
    },
  );

  return {
    cancel: () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      destroy?.();
    },
  };
}
