import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRunning, logTail, startProcess, stopProcess } from './managed-process.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'managed-process-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A child that prints a line and then waits for a signal; with `ignoreTerm` it ignores SIGTERM.
const node = process.execPath;
const script = (ignoreTerm: boolean): string[] => [
  '-e',
  `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} console.log('started ' + process.pid); setInterval(() => {}, 1000);`,
];

describe('startProcess / stopProcess', () => {
  it('runs the binary in its own process group, with output in the log', async () => {
    const log = join(dir, 'out.log');
    const p = await startProcess(node, script(false), log);
    try {
      expect(isRunning(p.record)).toBe(true);
      const stat = readFileSync(`/proc/${p.record.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      expect(Number(fields[2])).toBe(p.record.pid); // pgrp: it leads its own group
      await expect.poll(() => logTail(log)).toBe(`started ${p.record.pid}`);
    } finally {
      await stopProcess(p.record, 5_000);
    }
    expect(isRunning(p.record)).toBe(false);
    await expect.poll(() => p.exited()?.signal).toBe('SIGTERM');
  });

  it('kills with SIGKILL what ignores SIGTERM', async () => {
    const log = join(dir, 'out.log');
    const p = await startProcess(node, script(true), log);
    await expect.poll(() => logTail(log)).toMatch(/^started/);
    await stopProcess(p.record, 200);
    expect(isRunning(p.record)).toBe(false);
    await expect.poll(() => p.exited()?.signal).toBe('SIGKILL');
  });

  it('reports a binary that does not exist', async () => {
    await expect(startProcess(join(dir, 'missing'), [], join(dir, 'log'))).rejects.toThrow(/ENOENT/);
  });
});

describe('isRunning', () => {
  it('recognises a process by PID and binary', () => {
    expect(isRunning({ pid: process.pid, binary: process.execPath })).toBe(true);
  });
  it('refuses a PID that runs another binary (PID reuse)', () => {
    expect(isRunning({ pid: process.pid, binary: '/usr/bin/etcd' })).toBe(false);
  });
  it('is false for a PID that does not exist', () => {
    expect(isRunning({ pid: 2 ** 22 + 1, binary: process.execPath })).toBe(false);
  });
});

describe('logTail', () => {
  it('says so when there is no log', () => {
    expect(logTail(join(dir, 'none.log'))).toBe('(no log)');
  });
});
