// Things to undo, undone last-first exactly once; a failing step does not stop the others.

export interface CleanupStack {
  /** Registers `undo` to run at `run()`; `label` names it in failure reports. */
  defer(label: string, undo: () => Promise<void> | void): void;
  /** Runs every registered step once, newest first; resolves with the failures, never rejects. */
  run(): Promise<readonly CleanupFailure[]>;
}

export interface CleanupFailure {
  readonly label: string;
  readonly error: unknown;
}

export function createCleanupStack(): CleanupStack {
  const steps: { label: string; undo: () => Promise<void> | void }[] = [];
  let running: Promise<readonly CleanupFailure[]> | undefined;
  return {
    defer(label, undo) {
      steps.push({ label, undo });
    },
    run() {
      running ??= (async () => {
        const failures: CleanupFailure[] = [];
        for (let step = steps.pop(); step !== undefined; step = steps.pop()) {
          try {
            await step.undo();
          } catch (error) {
            failures.push({ label: step.label, error });
          }
        }
        return failures;
      })();
      return running;
    },
  };
}
