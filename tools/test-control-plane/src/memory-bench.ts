// What the daemons' memory benchmarks share: their command line, how one measurement of a daemon
// is taken and described, heap snapshots, and the result line
// `{"idleRssMb","rss5kServicesMb","bytesPerService"}`.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { imageNodeFlags, residentBytes, sampleResidentSet } from './process-memory.ts';
import { waitUntil } from './wait-until.ts';

const MB = 1_000_000;
/** `12.3 MB` (MB = 10^6 bytes, as the budget counts). */
export const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

export interface MemoryBenchDaemon {
  /** The daemon's image, whose ENTRYPOINT gives the Node options it ships with. */
  readonly dockerfile: string;
  /** The entry point as the image names it, e.g. `apps/allocator/dist/main.js`. */
  readonly entry: string;
  /** The built entry point on this machine. */
  readonly builtMain: string;
  /** The npm command that builds it and runs the benchmark, for the message when it is not built. */
  readonly command: string;
}

export interface MemoryBenchOptions {
  /** Run the daemon from its TypeScript sources instead of as built. */
  readonly source: boolean;
  /** How many Services the loaded measurement holds. */
  readonly services: number;
  /** The daemon's Node options: the image's (unless `--no-image-flags`), then every `--node-arg`. */
  readonly nodeArgs: readonly string[];
  /** Write a heap snapshot of the measured daemon at the end. */
  readonly heapSnapshot: boolean;
}

export type MemoryBenchArgs =
  { readonly ok: true; readonly value: MemoryBenchOptions } | { readonly ok: false; readonly message: string };

/**
 * Reads `--source`, `--services=N` (default 5000, at most 65,000), `--[no-]image-flags`,
 * `--node-arg=…` (repeatable) and `--heap-snapshot`; a wrong value is a message naming the option.
 */
export function parseMemoryBenchArgs(argv: readonly string[], daemon: MemoryBenchDaemon): MemoryBenchArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        source: { type: 'boolean', default: false },
        services: { type: 'string', default: '5000' },
        'image-flags': { type: 'boolean', default: true },
        'node-arg': { type: 'string', multiple: true, default: [] },
        'heap-snapshot': { type: 'boolean', default: false },
      },
      allowNegative: true,
    }));
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  const services = Number(values.services);
  if (!Number.isInteger(services) || services < 1 || services > 65_000)
    return { ok: false, message: `--services must be a whole number from 1 to 65000, got ${values.services}` };
  if (!values.source && !existsSync(daemon.builtMain))
    return { ok: false, message: `no ${daemon.builtMain}: build first (${daemon.command} does), or pass --source` };
  return {
    ok: true,
    value: {
      source: values.source,
      services,
      nodeArgs: [
        ...(values['image-flags'] ? imageNodeFlags(daemon.dockerfile, daemon.entry) : []),
        ...values['node-arg'],
      ],
      heapSnapshot: values['heap-snapshot'],
    },
  };
}

/** What a benchmark starts with: its options, a work directory, the daemon's Node options. */
export interface MemoryBench {
  readonly options: MemoryBenchOptions;
  /** For logs and the heap snapshot; the benchmark removes it when done. */
  readonly work: string;
  /** `options.nodeArgs`, and the heap snapshot flags when one is asked for. */
  readonly nodeArgs: readonly string[];
}

/** Reads this process's command line (a wrong one: its message, exit code 2) and makes the work directory. */
export function startMemoryBench(daemon: MemoryBenchDaemon, workPrefix: string): MemoryBench {
  const parsed = parseMemoryBenchArgs(process.argv.slice(2), daemon);
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), workPrefix));
  return {
    options: parsed.value,
    work,
    nodeArgs: [...parsed.value.nodeArgs, ...(parsed.value.heapSnapshot ? heapSnapshotFlags(work) : [])],
  };
}

/** The Node options that let `writeHeapSnapshot` ask the process for a snapshot in `dir`. */
export const heapSnapshotFlags = (dir: string): string[] => [
  '--heapsnapshot-signal=SIGUSR2',
  `--diagnostic-dir=${dir}`,
];

/** Signals a process started with `heapSnapshotFlags(dir)` and waits until its snapshot is complete; its path. */
export async function writeHeapSnapshot(pid: number, dir: string): Promise<string> {
  process.kill(pid, 'SIGUSR2');
  let last = -1;
  return waitUntil(
    () => {
      const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot'));
      const size = file === undefined ? -1 : statSync(join(dir, file)).size;
      const done = file !== undefined && size > 0 && size === last;
      last = size;
      return done ? { kind: 'done', value: join(dir, file) } : { kind: 'pending', reason: `${size} bytes written` };
    },
    { what: 'the heap snapshot', timeoutMs: 120_000, intervalMs: 1000 },
  );
}

/**
 * The V8 heap as a daemon's prom-client metrics report it: used of committed, by space, and
 * memory outside it that V8 knows of.
 */
export function heapBreakdown(metricsText: string): string {
  const lines = metricsText.split('\n');
  const valueOf = (line: string): number => Number(line.slice(line.lastIndexOf(' ') + 1));
  const find = (prefix: string): number => valueOf(lines.find((l) => l.startsWith(prefix)) ?? ' NaN');
  const spaces = lines
    .filter((l) => l.startsWith('nodejs_heap_space_size_total_bytes{'))
    .map((l) => {
      const space = /space="([^"]+)"/.exec(l)?.[1] ?? '?';
      return `${space} ${mb(find(`nodejs_heap_space_size_used_bytes{space="${space}"}`))}/${mb(valueOf(l))}`;
    })
    .join(', ');
  return `V8 heap used ${mb(find('nodejs_heap_size_used_bytes '))} of ${mb(find('nodejs_heap_size_total_bytes '))} committed (used/committed: ${spaces}), external ${mb(find('nodejs_external_memory_bytes '))}`;
}

/** Resident memory by kind, from /proc/<pid>/smaps_rollup: anonymous (heaps, malloc) and file-backed (the binary). */
export function residentKinds(pid: number): string {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const anonymous = kb('Anonymous') * 1024;
  return `anonymous ${mb(anonymous)}, file-backed ${mb(kb('Rss') * 1024 - anonymous)}`;
}

/** How long a daemon sits still before its resident set is sampled, and how long it is sampled. */
const SETTLE_MS = 10_000;
const SAMPLE_MS = 10_000;

/**
 * One measurement: after a quiet while, the median resident set over a while, with a line that
 * describes it (range, peak, kinds, and the daemon's own heap from its metrics).
 */
export async function measureDaemon(
  pid: number,
  metricsText: () => Promise<string>,
): Promise<{ readonly rss: number; readonly description: string }> {
  await sleep(SETTLE_MS);
  const rss = await sampleResidentSet(pid, { durationMs: SAMPLE_MS });
  const description = `RSS ${mb(rss.median)} (median; ${mb(rss.min)} – ${mb(rss.max)}; peak so far ${mb(residentBytes(pid, 'VmHWM'))}; ${residentKinds(pid)}); ${heapBreakdown(await metricsText())}`;
  return { rss: rss.median, description };
}

/** The readable summary and the JSON result line of an idle and a loaded measurement. */
export function memoryBenchResult(idle: number, loaded: number, services: number): { summary: string; line: string } {
  const perService = (loaded - idle) / services;
  return {
    summary: `${Math.round(perService)} bytes per Service, ${mb(perService * 1000)} per 1,000 Services (budget: idle ≤ 100 MB, ≤ 8 MB per 1,000)`,
    line: JSON.stringify({
      idleRssMb: Math.round((idle / MB) * 10) / 10,
      rss5kServicesMb: Math.round((loaded / MB) * 10) / 10,
      bytesPerService: Math.round(perService),
    }),
  };
}
