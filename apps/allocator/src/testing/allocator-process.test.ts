import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allocatorArgs, listeningPort, parseLogLine, startAllocatorProcess } from './allocator-process.ts';

describe('parseLogLine and listeningPort', () => {
  it.each<[string, number | undefined]>([
    ['{"level":30,"event":"listening","host":"127.0.0.1","port":40123}', 40123],
    ['{"event":"listening","port":"40123"}', undefined],
    ['{"event":"listening","port":0}', undefined],
    ['{"event":"listening","port":70000}', undefined],
    ['{"event":"leader","port":40123}', undefined],
    ['{"event":"listening"}', undefined],
  ])('%s → %s', (text, port) => {
    const line = parseLogLine(text);
    expect(line).toBeDefined();
    if (line !== undefined) expect(listeningPort(line)).toBe(port);
  });

  it.each(['not json', 'null', '[1,2]', '42', '"text"'])('%s is not a log line', (text) => {
    expect(parseLogLine(text)).toBeUndefined();
  });
});

describe('allocatorArgs', () => {
  it('passes identity, leadership timings and the log level only when given', () => {
    const base = { kubeconfigPath: '/k', namespace: 'purelb', mainPath: '/m.ts' };
    expect(allocatorArgs(base)).toEqual([
      '--conditions=@purelb/source',
      '/m.ts',
      '--kubeconfig',
      '/k',
      '--namespace',
      'purelb',
      '--listen',
      '127.0.0.1:0',
      '--log-level',
      'info',
    ]);
    expect(
      allocatorArgs({
        ...base,
        identity: 'a-1',
        logLevel: 'debug',
        leadership: { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 },
        extraArgs: ['--default-class=false'],
      }),
    ).toEqual([
      '--conditions=@purelb/source',
      '/m.ts',
      '--kubeconfig',
      '/k',
      '--namespace',
      'purelb',
      '--identity',
      'a-1',
      '--listen',
      '127.0.0.1:0',
      '--lease-duration',
      '3000',
      '--renew-deadline',
      '2000',
      '--retry-period',
      '300',
      '--log-level',
      'debug',
      '--default-class=false',
    ]);
  });

  it('puts options for Node itself before the entry point', () => {
    expect(
      allocatorArgs({
        kubeconfigPath: '/k',
        namespace: 'n',
        mainPath: '/m.ts',
        nodeArgs: ['--import', '/fault.ts'],
      }).slice(0, 4),
    ).toEqual(['--import', '/fault.ts', '--conditions=@purelb/source', '/m.ts']);
  });

  it('runs a built entry point on the built libraries when asked', () => {
    expect(
      allocatorArgs({
        kubeconfigPath: '/k',
        namespace: 'n',
        mainPath: '/dist/main.js',
        sourceCondition: false,
        nodeArgs: ['--expose-gc'],
      }).slice(0, 3),
    ).toEqual(['--expose-gc', '/dist/main.js', '--kubeconfig']);
  });

  it("runs this package's own entry point by default", () => {
    expect(allocatorArgs({ kubeconfigPath: '/k', namespace: 'n' })[1]).toBe(join(import.meta.dirname, '..', 'main.ts'));
  });
});

// A stand-in main that prints what it was given, listens, and exits on SIGTERM.
const listeningScript = `
import { createServer } from 'node:http';
const server = createServer((_, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  console.error('starting');
  console.log(JSON.stringify({ event: 'args', args: process.argv.slice(2), kubeconfigEnv: process.env.KUBECONFIG }));
  console.log('plain words');
  console.log(JSON.stringify({ event: 'listening', port: server.address().port }));
});
let stops = 0;
process.on('SIGTERM', () => { stops++; console.log(JSON.stringify({ event: 'stopped', stops })); server.close(); setTimeout(() => process.exit(0), 50); });
`;

describe('startAllocatorProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'purelb-allocator-process-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the listening port, keeps and logs every line, and stops on one SIGTERM', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, listeningScript);
    const logFile = join(dir, 'allocator.log');
    const proc = startAllocatorProcess({
      mainPath: main,
      kubeconfigPath: '/tmp/kubeconfig',
      namespace: 'purelb',
      logFile,
      extraArgs: ['--lease-duration', '3000'],
    });
    const port = await proc.port();
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');
    const args = await proc.waitForLog((l) => l.event === 'args');
    expect(args['args']).toEqual([
      '--kubeconfig',
      '/tmp/kubeconfig',
      '--namespace',
      'purelb',
      '--listen',
      '127.0.0.1:0',
      '--log-level',
      'info',
      '--lease-duration',
      '3000',
    ]);
    expect(args['kubeconfigEnv']).toBe('');
    const [first, second] = await Promise.all([proc.stop(), proc.stop()]);
    expect(first).toEqual({ code: 0, signal: null });
    expect(second).toEqual({ code: 0, signal: null });
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
    expect(proc.logs.filter((l) => l.event === 'stopped')).toEqual([{ event: 'stopped', stops: 1 }]);
    expect(proc.otherOutput).toEqual(expect.arrayContaining(['starting', 'plain words']));
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines).toContain('starting');
    expect(lines).toContain('plain words');
    expect(lines).toContain('{"event":"stopped","stops":1}');
  });

  it('rejects with the last output when the process exits before listening', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `console.error('--kubeconfig: no such file'); process.exit(2);`);
    const proc = startAllocatorProcess({ mainPath: main, kubeconfigPath: 'x', namespace: 'purelb', identity: 'a-1' });
    await expect(proc.port()).rejects.toThrow(
      /gave up waiting for a log line of allocator a-1: it exited \(code 2\) before the awaited log line; last output:\n--kubeconfig: no such file/,
    );
    expect(await proc.exited).toEqual({ code: 2, signal: null });
  });

  it('gives up waiting for a process that never reports listening, with its output', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `console.log('{"event":"starting"}'); setInterval(() => {}, 1000);`);
    const proc = startAllocatorProcess({ mainPath: main, kubeconfigPath: 'x', namespace: 'purelb' });
    await expect(proc.port(300)).rejects.toThrow(
      /timed out after 300 ms waiting for a log line of the allocator \(last: no matching line yet; last output:\n\{"event":"starting"\}\)/,
    );
    expect(await proc.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('kills a process that ignores SIGTERM once the grace period is over, or at once on request', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(
      main,
      `process.on('SIGTERM', () => {}); console.log('{"event":"listening","port":1}'); setInterval(() => {}, 1000);`,
    );
    const slow = startAllocatorProcess({ mainPath: main, kubeconfigPath: 'x', namespace: 'purelb' });
    expect(await slow.port()).toBe(1);
    expect(await slow.stop('SIGTERM', 100)).toEqual({ code: null, signal: 'SIGKILL' });

    const stubborn = startAllocatorProcess({
      mainPath: main,
      kubeconfigPath: 'x',
      namespace: 'purelb',
      ownProcessGroup: false,
    });
    await stubborn.port();
    void stubborn.stop('SIGTERM', 60_000);
    expect(await stubborn.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
