import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { heapBreakdown, memoryBenchResult, parseMemoryBenchArgs, residentKinds } from './memory-bench.ts';

const dir = mkdtempSync(join(tmpdir(), 'purelb-memory-bench-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const dockerfile = join(dir, 'daemon.Dockerfile');
writeFileSync(dockerfile, 'ENTRYPOINT ["node", "--max-semi-space-size=4", "app/main.js"]\n');
const builtMain = join(dir, 'main.js');
writeFileSync(builtMain, '');
const daemon = { dockerfile, entry: 'app/main.js', builtMain, command: 'npm run bench:memory' };

describe('parseMemoryBenchArgs', () => {
  it('defaults to 5,000 Services, as built, with the image’s Node options', () => {
    expect(parseMemoryBenchArgs([], daemon)).toEqual({
      ok: true,
      value: { source: false, services: 5000, nodeArgs: ['--max-semi-space-size=4'], heapSnapshot: false },
    });
  });

  it('takes every option', () => {
    const args = [
      '--source',
      '--services=200',
      '--no-image-flags',
      '--node-arg=--a',
      '--node-arg=--b',
      '--heap-snapshot',
    ];
    expect(parseMemoryBenchArgs(args, { ...daemon, builtMain: join(dir, 'absent.js') })).toEqual({
      ok: true,
      value: { source: true, services: 200, nodeArgs: ['--a', '--b'], heapSnapshot: true },
    });
  });

  it.each([
    [['--services=0'], /--services must be a whole number from 1 to 65000, got 0/],
    [['--services=70000'], /got 70000/],
    [['--services=many'], /got many/],
    [['--heap-snapshot=yes'], /heap-snapshot/],
    [['--unknown'], /unknown/],
  ])('refuses %j naming the option', (argv, message) => {
    const parsed = parseMemoryBenchArgs(argv, daemon);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  it('says how to build when the daemon is not built', () => {
    expect(parseMemoryBenchArgs([], { ...daemon, builtMain: join(dir, 'absent.js') })).toEqual({
      ok: false,
      message: `no ${join(dir, 'absent.js')}: build first (npm run bench:memory does), or pass --source`,
    });
  });
});

describe('heapBreakdown', () => {
  it('reads the heap, its spaces and external memory from prom-client metrics', () => {
    const text = [
      'nodejs_heap_size_total_bytes 20000000',
      'nodejs_heap_size_used_bytes 15000000',
      'nodejs_external_memory_bytes 4400000',
      'nodejs_heap_space_size_total_bytes{space="new"} 1000000',
      'nodejs_heap_space_size_total_bytes{space="old"} 12000000',
      'nodejs_heap_space_size_used_bytes{space="new"} 300000',
      'nodejs_heap_space_size_used_bytes{space="old"} 11200000',
    ].join('\n');
    expect(heapBreakdown(text)).toBe(
      'V8 heap used 15.0 MB of 20.0 MB committed (used/committed: new 0.3 MB/1.0 MB, old 11.2 MB/12.0 MB), external 4.4 MB',
    );
  });

  it('shows what is missing as NaN rather than failing', () => {
    expect(heapBreakdown('')).toBe('V8 heap used NaN MB of NaN MB committed (used/committed: ), external NaN MB');
  });
});

describe('residentKinds', () => {
  it('splits this process’s resident set into anonymous and file-backed memory', () => {
    expect(residentKinds(process.pid)).toMatch(/^anonymous \d+\.\d MB, file-backed \d+\.\d MB$/);
  });
});

describe('memoryBenchResult', () => {
  it('gives the bytes per Service and the result line', () => {
    expect(memoryBenchResult(86_000_000, 121_000_000, 5000)).toEqual({
      summary: '7000 bytes per Service, 7.0 MB per 1,000 Services (budget: idle ≤ 100 MB, ≤ 8 MB per 1,000)',
      line: '{"idleRssMb":86,"rss5kServicesMb":121,"bytesPerService":7000}',
    });
  });
});
