// A WatchTransport whose every answer is given by the test, step by step.
import type {
  ListPage,
  ListRequest,
  ListResult,
  WatchEvent,
  WatchFailure,
  WatchHandlers,
  WatchRequest,
  WatchStream,
  WatchTransport,
} from '../watch-types.ts';

export interface PendingList {
  readonly request: ListRequest;
  respond(page: { items: readonly unknown[]; resourceVersion: string; continueToken?: string }): void;
  fail(failure: WatchFailure): void;
}

export interface ScriptedWatch {
  readonly request: WatchRequest;
  /** True once the watcher cancelled this stream. */
  readonly cancelled: boolean;
  /** True once `end` was called. */
  readonly ended: boolean;
  /** Delivers an event (ignored after cancel or end). */
  emit(event: WatchEvent): void;
  /** Ends the stream: cleanly (no argument) or with a failure. */
  end(failure?: WatchFailure): void;
}

export interface ScriptedTransport extends WatchTransport {
  /** Every list request so far, oldest first. */
  readonly listRequests: readonly ListRequest[];
  /** Every watch opened so far, oldest first. */
  readonly watches: readonly ScriptedWatch[];
  /** The oldest unanswered list request; throws when there is none. */
  takeList(): PendingList;
  /** Number of unanswered list requests. */
  pendingLists(): number;
  /** The most recently opened watch; throws when none was opened. */
  lastWatch(): ScriptedWatch;
}

export function createScriptedTransport(): ScriptedTransport {
  const listRequests: ListRequest[] = [];
  const pending: PendingList[] = [];
  const watches: ScriptedWatch[] = [];

  const list = (request: ListRequest): Promise<ListResult> => {
    listRequests.push(request);
    return new Promise<ListResult>((resolve) => {
      pending.push({
        request,
        respond: (page) => {
          const value: ListPage = {
            items: page.items,
            resourceVersion: page.resourceVersion,
            continueToken: page.continueToken,
          };
          resolve({ ok: true, value: value });
        },
        fail: (failure) => {
          resolve({ ok: false, error: failure });
        },
      });
    });
  };

  const watch = (request: WatchRequest, handlers: WatchHandlers): WatchStream => {
    let cancelled = false;
    let ended = false;
    const scripted: ScriptedWatch = {
      request,
      get cancelled() {
        return cancelled;
      },
      get ended() {
        return ended;
      },
      emit: (event) => {
        if (!cancelled && !ended) handlers.onEvent(event);
      },
      end: (failure) => {
        if (cancelled || ended) return;
        ended = true;
        handlers.onEnd(failure);
      },
    };
    watches.push(scripted);
    return {
      cancel: () => {
        cancelled = true;
      },
    };
  };

  return {
    list,
    watch,
    listRequests,
    watches,
    takeList: () => {
      const next = pending.shift();
      if (next === undefined) throw new Error('no list request is pending');
      return next;
    },
    pendingLists: () => pending.length,
    lastWatch: () => {
      const last = watches.at(-1);
      if (last === undefined) throw new Error('no watch was opened');
      return last;
    },
  };
}
