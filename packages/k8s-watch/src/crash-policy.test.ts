import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRASH_EXIT_CODE, installCrashPolicy } from './crash-policy.ts';
import type { CrashSource, FatalFault } from './crash-policy.ts';
import { createFakeClock, flushPromises } from './testing/fake-clock.ts';

class FakeProcess extends EventEmitter implements CrashSource {
  exitCode: number | undefined;
}

function setUp(onFatal?: () => Promise<void>) {
  const source = new FakeProcess();
  const clock = createFakeClock();
  const reports: FatalFault[] = [];
  const exits: number[] = [];
  const policy = installCrashPolicy({
    report: (f) => reports.push(f),
    ...(onFatal === undefined ? {} : { onFatal }),
    graceMs: 2000,
    exit: (code) => exits.push(code),
    source,
    clock,
  });
  return { source, clock, reports, exits, policy };
}

describe('installCrashPolicy', () => {
  it('an uncaught exception is reported once, clean-up runs, then the process exits non-zero', async () => {
    const order: string[] = [];
    const t = setUp(async () => {
      order.push('clean-up');
      await Promise.resolve();
    });
    const boom = new Error('boom');
    t.source.emit('uncaughtException', boom);
    expect(t.reports).toEqual([{ kind: 'uncaught-exception', error: boom }]);
    expect(t.source.exitCode).toBe(CRASH_EXIT_CODE);
    expect(t.policy.crashing).toBe(true);
    await flushPromises();
    expect(order).toEqual(['clean-up']);
    expect(t.exits).toEqual([70]);
    await t.clock.advanceAsync(5000);
    expect(t.exits).toEqual([70]);
  });

  it('an unhandled rejection of any value ends the process the same way', async () => {
    const t = setUp();
    t.source.emit('unhandledRejection', 'just a string');
    await flushPromises();
    expect(t.reports).toEqual([{ kind: 'unhandled-rejection', error: 'just a string' }]);
    expect(t.exits).toEqual([CRASH_EXIT_CODE]);
  });

  it('a clean-up that hangs is given the grace period, no more', async () => {
    const t = setUp(() => new Promise<void>(() => {}));
    t.source.emit('uncaughtException', new Error('boom'));
    await t.clock.advanceAsync(1999);
    expect(t.exits).toEqual([]);
    await t.clock.advanceAsync(1);
    expect(t.exits).toEqual([CRASH_EXIT_CODE]);
  });

  it('a clean-up that fails still ends in the exit', async () => {
    const t = setUp(() => Promise.reject(new Error('lease update refused')));
    t.source.emit('uncaughtException', new Error('boom'));
    await flushPromises();
    expect(t.exits).toEqual([CRASH_EXIT_CODE]);
  });

  it('a second fault during the clean-up is reported and exits at once', async () => {
    const t = setUp(() => new Promise<void>(() => {}));
    t.source.emit('uncaughtException', new Error('first'));
    t.source.emit('unhandledRejection', new Error('second'));
    expect(t.reports.map((r) => [r.kind, (r.error as Error).message])).toEqual([
      ['uncaught-exception', 'first'],
      ['unhandled-rejection', 'second'],
    ]);
    expect(t.exits).toEqual([CRASH_EXIT_CODE]);
    t.source.emit('uncaughtException', new Error('third'));
    expect(t.reports).toHaveLength(2);
    await t.clock.advanceAsync(5000);
    expect(t.exits).toEqual([CRASH_EXIT_CODE]);
  });

  it('uninstall removes the listeners', () => {
    const t = setUp();
    t.policy.uninstall();
    expect(t.source.listenerCount('uncaughtException') + t.source.listenerCount('unhandledRejection')).toBe(0);
  });
});

// The real thing: a Node process with the policy installed, a fault, and its exit status.
const script = (fault: string, cleanUp: string): string => `
import { installCrashPolicy } from ${JSON.stringify(join(import.meta.dirname, 'crash-policy.ts'))};
installCrashPolicy({
  report: (f) => console.log(JSON.stringify({ event: f.kind, message: f.error instanceof Error ? f.error.message : String(f.error) })),
  onFatal: async () => { ${cleanUp} },
  graceMs: 500,
});
setInterval(() => {}, 1000);
setTimeout(() => { ${fault} }, 10);
`;

function run(
  fault: string,
  cleanUp = "console.log(JSON.stringify({ event: 'released' }));",
): { status: number | null; lines: unknown[] } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(fault, cleanUp)], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return {
    status: r.status,
    lines: r.stdout
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown),
  };
}

describe('installCrashPolicy in a real process', () => {
  it.each([
    ['a throw in a timer', "throw new Error('injected')", 'uncaught-exception'],
    ['a rejected promise nobody awaits', "void Promise.reject(new Error('injected'))", 'unhandled-rejection'],
  ])('%s: reported, cleaned up, exit status 70', (_name, fault, kind) => {
    expect(run(fault)).toEqual({
      status: CRASH_EXIT_CODE,
      lines: [{ event: kind, message: 'injected' }, { event: 'released' }],
    });
  });

  it('a clean-up that never ends does not keep the process alive', () => {
    expect(run("throw new Error('injected')", 'await new Promise(() => {});')).toEqual({
      status: CRASH_EXIT_CODE,
      lines: [{ event: 'uncaught-exception', message: 'injected' }],
    });
  });
});
