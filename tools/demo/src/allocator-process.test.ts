import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listeningPort, startAllocatorProcess } from './allocator-process.ts';

describe('listeningPort', () => {
  it.each<[string, number | undefined]>([
    ['{"level":30,"event":"listening","host":"127.0.0.1","port":40123}', 40123],
    ['{"event":"listening","port":"40123"}', undefined],
    ['{"event":"listening","port":0}', undefined],
    ['{"event":"leader","port":40123}', undefined],
    ['{"event":"listening"}', undefined],
    ['not json', undefined],
    ['null', undefined],
    ['[1,2]', undefined],
  ])('%s → %s', (line, port) => {
    expect(listeningPort(line)).toBe(port);
  });
});

// A stand-in main.ts that prints what it was given, listens, and exits on SIGTERM.
const listeningScript = `
import { createServer } from 'node:http';
const server = createServer((_, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => {
  console.error('starting');
  console.log(JSON.stringify({ event: 'args', args: process.argv.slice(2) }));
  console.log(JSON.stringify({ event: 'listening', port: server.address().port }));
});
process.on('SIGTERM', () => { console.log(JSON.stringify({ event: 'stopped' })); server.close(); process.exit(0); });
`;

describe('startAllocatorProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'purelb-demo-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves with the reported port, logs every line, and stops on SIGTERM', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, listeningScript);
    const logFile = join(dir, 'allocator.log');
    const proc = await startAllocatorProcess({
      mainPath: main,
      kubeconfigPath: '/tmp/kubeconfig',
      namespace: 'purelb',
      logFile,
      extraArgs: ['--lease-duration', '3000'],
    });
    const res = await fetch(`http://127.0.0.1:${proc.port}/`);
    expect(await res.text()).toBe('ok');
    await proc.stop();
    await proc.stop();
    expect(await proc.exited).toBe(0);
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    expect(lines).toContain('starting');
    expect(lines).toContain('{"event":"stopped"}');
    const args = JSON.parse(lines.find((l) => l.includes('"args"')) ?? '{}') as { args: string[] };
    expect(args.args).toEqual([
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
  });

  it('rejects with the last output when the process exits before listening', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `console.error('--kubeconfig: no such file'); process.exit(2);`);
    await expect(
      startAllocatorProcess({ mainPath: main, kubeconfigPath: 'x', namespace: 'purelb', logFile: join(dir, 'a.log') }),
    ).rejects.toThrow(/exited \(2\) before listening:\n--kubeconfig: no such file/);
  });

  it('kills a process that never reports listening', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `console.log('{"event":"starting"}'); setInterval(() => {}, 1000);`);
    await expect(
      startAllocatorProcess({
        mainPath: main,
        kubeconfigPath: 'x',
        namespace: 'purelb',
        logFile: join(dir, 'a.log'),
        startTimeoutMs: 300,
      }),
    ).rejects.toThrow(/did not report "listening" within 300 ms:\n\{"event":"starting"\}/);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const main = join(dir, 'main.mjs');
    writeFileSync(main, `process.on('SIGTERM', () => {}); console.log('{"event":"listening","port":1}'); setInterval(() => {}, 1000);`);
    const proc = await startAllocatorProcess({ mainPath: main, kubeconfigPath: 'x', namespace: 'purelb', logFile: join(dir, 'a.log') });
    await proc.stop(100);
    expect(await proc.exited).toBe('SIGKILL');
  });
});
