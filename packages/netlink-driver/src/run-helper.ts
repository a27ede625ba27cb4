// Runs a helper program with a hard timeout and reports how it ended as a value.
import { execFile } from 'node:child_process';

export type HelperOutcome =
  | { readonly kind: 'exited'; readonly code: number; readonly stderr: string }
  /** It could not start, was killed by the timeout, or died of a signal. */
  | { readonly kind: 'failed'; readonly message: string };

export type HelperRunner = (file: string, args: readonly string[], timeoutMs: number) => Promise<HelperOutcome>;

export const runHelper: HelperRunner = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error, _stdout, stderr) => {
        const text = stderr.trim().split('\n').slice(-1)[0] ?? '';
        if (error === null) {
          resolve({ kind: 'exited', code: 0, stderr: text });
        } else if (error.code === 'ENOENT') {
          resolve({ kind: 'failed', message: `${file} is not installed` });
        } else if (error.killed === true) {
          resolve({ kind: 'failed', message: `${file} did not finish within ${timeoutMs} ms` });
        } else if (typeof error.code === 'number') {
          resolve({ kind: 'exited', code: error.code, stderr: text });
        } else {
          resolve({ kind: 'failed', message: `${file} failed: ${error.message}` });
        }
      },
    );
  });
