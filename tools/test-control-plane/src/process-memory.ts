// Measuring a daemon as it ships, for the memory benchmarks: its resident set from /proc, sampled
// over a while, and the Node options its image starts it with.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** `VmRSS`: resident now; `VmHWM`: the most the process ever had resident. */
export type ResidentField = 'VmRSS' | 'VmHWM';

/** A size from `/proc/<pid>/status`, in bytes. Throws when the process is gone. */
export function residentBytes(pid: number, field: ResidentField = 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no ${field} for process ${pid}`);
  return Number(match[1]) * 1024;
}

export interface ResidentSample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The median resident set size (and the range seen) over `durationMs`, sampled every `intervalMs` (default 250). */
export async function sampleResidentSet(
  pid: number,
  window: { readonly durationMs: number; readonly intervalMs?: number },
): Promise<ResidentSample> {
  const samples: number[] = [];
  const end = performance.now() + window.durationMs;
  do {
    samples.push(residentBytes(pid));
    await sleep(window.intervalMs ?? 250);
  } while (performance.now() < end);
  samples.sort((a, b) => a - b);
  return {
    median: samples[Math.floor(samples.length / 2)] ?? Number.NaN,
    min: samples[0] ?? Number.NaN,
    max: samples.at(-1) ?? Number.NaN,
  };
}

/**
 * The Node options between `node` and the entry point in a Dockerfile's exec-form ENTRYPOINT, so a
 * benchmark runs the daemon with the flags it ships with. Throws unless the ENTRYPOINT is
 * `["node", …options, entry]`.
 */
export function imageNodeFlags(dockerfilePath: string, entry: string): string[] {
  const line = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(dockerfilePath, 'utf8'))?.[1];
  let command: unknown;
  try {
    command = line === undefined ? undefined : JSON.parse(line);
  } catch {
    command = undefined;
  }
  if (
    !Array.isArray(command) ||
    !command.every((part) => typeof part === 'string') ||
    command[0] !== 'node' ||
    command.at(-1) !== entry
  ) {
    throw new Error(`${dockerfilePath}: no ENTRYPOINT ["node", …, "${entry}"]`);
  }
  return command.slice(1, -1);
}
