// What a daemon does when code it runs throws where nothing catches it (ADR 0007): state may be
// inconsistent, so it says so once, gives up leadership within a short bound, and exits non-zero so
// that a standby takes over and the kubelet restarts it. It never carries on.
import { systemClock } from './clock.ts';
import type { Clock } from './clock.ts';

/** Exit status of a crash: EX_SOFTWARE (sysexits.h), apart from bad options (2) and failed starts (1). */
export const CRASH_EXIT_CODE = 70;

/** The fault that ends the process. */
export interface FatalFault {
  readonly kind: 'uncaught-exception' | 'unhandled-rejection';
  /** What was thrown or rejected (anything, not only an Error). */
  readonly error: unknown;
}

/** The part of `process` the policy uses (tests pass an EventEmitter). */
export interface CrashSource {
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  off(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown;
  /** Set at once, so that the process ends non-zero even if it ends before `exit` is called. */
  exitCode?: number | string | null | undefined;
}

export interface CrashPolicyOptions {
  /** Told about the first fault at once, and about a second one should it come: log it as fatal. Must not throw. */
  readonly report: (fault: FatalFault) => void;
  /** Best-effort clean-up before the exit, e.g. releasing the leader Lease. Its failure is ignored. */
  readonly onFatal?: () => Promise<void>;
  /** How long `onFatal` may take before the process exits anyway. Default 2000 ms. */
  readonly graceMs?: number;
  /** Ends the process. Default `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Default `process`. */
  readonly source?: CrashSource;
  /** For the grace period. Default `systemClock`. */
  readonly clock?: Clock;
}

export interface CrashPolicy {
  /** Whether a fault was seen (the process is on its way out). */
  readonly crashing: boolean;
  /** Removes the listeners (for tests). */
  uninstall(): void;
}

/**
 * Installs the crash policy: on the first uncaught exception or unhandled rejection, `report`, then
 * `onFatal` for at most `graceMs`, then `exit(CRASH_EXIT_CODE)`. A second fault meanwhile exits at once.
 */
export function installCrashPolicy(options: CrashPolicyOptions): CrashPolicy {
  const source = options.source ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const clock = options.clock ?? systemClock;
  const graceMs = options.graceMs ?? 2000;
  let crashing = false;
  let exited = false;

  const leave = (): void => {
    if (exited) return;
    exited = true;
    exit(CRASH_EXIT_CODE);
  };

  const onFault = (kind: FatalFault['kind']) => (error: unknown) => {
    if (crashing) {
      // A fault while cleaning up (perhaps from the clean-up itself): no more waiting.
      if (!exited) options.report({ kind, error });
      leave();
      return;
    }
    crashing = true;
    source.exitCode = CRASH_EXIT_CODE;
    options.report({ kind, error });
    const cancel = clock.setTimer(graceMs, leave);
    const cleanUp = options.onFatal === undefined ? Promise.resolve() : Promise.resolve().then(options.onFatal);
    void cleanUp
      .catch(() => {
        // best effort: the Lease expires on its own
      })
      .then(() => {
        cancel();
        leave();
      });
  };

  const onException = onFault('uncaught-exception');
  const onRejection = onFault('unhandled-rejection');
  source.on('uncaughtException', onException);
  source.on('unhandledRejection', onRejection);
  return {
    get crashing() {
      return crashing;
    },
    uninstall: () => {
      source.off('uncaughtException', onException);
      source.off('unhandledRejection', onRejection);
    },
  };
}
