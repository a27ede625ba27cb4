import { describe, expect, it } from 'vitest';
import { parseDemoOptions } from './demo-options.ts';

describe('parseDemoOptions', () => {
  it('defaults to running until Ctrl-C with a 60 s wait', () => {
    expect(parseDemoOptions([])).toEqual({ ok: true, value: { once: false, waitMs: 60_000, failover: false } });
  });

  it.each([
    [['--once'], { once: true, waitMs: 60_000, failover: false }],
    [['--wait', '5'], { once: false, waitMs: 5_000, failover: false }],
    [['--wait=120', '--once'], { once: true, waitMs: 120_000, failover: false }],
    [['--failover', '--once'], { once: true, waitMs: 60_000, failover: true }],
  ])('%j', (argv, value) => {
    expect(parseDemoOptions(argv)).toEqual({ ok: true, value });
  });

  it('answers --help even next to other arguments', () => {
    expect(parseDemoOptions(['--once', '--help'])).toEqual({ ok: true, help: true });
  });

  it.each([
    [['--wait'], '--wait', 'needs a number'],
    [['--wait', '--once'], '--wait', 'needs a number'],
    [['--wait=0'], '--wait', 'from 1 to 3600'],
    [['--wait', 'soon'], '--wait', '"soon"'],
    [['--once=yes'], '--once', 'takes no value'],
    [['--failover=kill'], '--failover', 'takes no value'],
    [['--loud'], '--loud', 'unknown argument'],
    [['stray'], 'stray', 'unknown argument'],
  ])('rejects %j with an error located at %s', (argv, path, text) => {
    const result = parseDemoOptions(argv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.path).toBe(path);
    expect(result.errors[0]?.message).toContain(text);
  });

  it('reports every bad argument, not only the first', () => {
    const result = parseDemoOptions(['--loud', '--wait=x']);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['--loud', '--wait']);
  });
});
