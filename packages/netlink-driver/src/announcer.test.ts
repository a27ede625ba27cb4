import { describe, expect, it } from 'vitest';
import { createAnnouncer, UNSOLICITED_NA_PERL } from './announcer.ts';
import type { HelperOutcome } from './run-helper.ts';
import { runHelper } from './run-helper.ts';

const v4 = { family: 'IPv4', address: '192.0.2.5', link: 'eth0', linkIndex: 2, mac: '02:00:00:00:00:01' } as const;
const v6 = { family: 'IPv6', address: '2001:db8::5', link: 'eth0', linkIndex: 2, mac: '02:00:00:00:00:01' } as const;

function recorder(outcome: HelperOutcome = { kind: 'exited', code: 0, stderr: '' }) {
  const calls: { file: string; args: readonly string[]; timeoutMs: number }[] = [];
  return {
    calls,
    run: (file: string, args: readonly string[], timeoutMs: number) => {
      calls.push({ file, args, timeoutMs });
      return Promise.resolve(outcome);
    },
  };
}

describe('createAnnouncer', () => {
  it('sends gratuitous ARP with arping -U on the link, bounded by a timeout', async () => {
    const r = recorder();
    const announcer = createAnnouncer({ run: r.run, timeoutMs: 3000 });
    expect(await announcer.announce(v4)).toEqual({ ok: true, value: { kind: 'sent' } });
    expect(r.calls).toEqual([
      { file: 'arping', args: ['-q', '-U', '-c', '1', '-I', 'eth0', '192.0.2.5'], timeoutMs: 3000 },
    ]);
  });

  it('sends an unsolicited NA through perl with the address, link index and MAC', async () => {
    const r = recorder();
    await createAnnouncer({ run: r.run }).announce(v6);
    expect(r.calls[0]?.file).toBe('perl');
    expect(r.calls[0]?.args).toEqual(['-e', UNSOLICITED_NA_PERL, '2001:db8::5', '2', '02:00:00:00:00:01', '2']);
  });

  it('suppresses a repeat within the minimum interval, and sends again after it', async () => {
    let now = 0;
    const r = recorder();
    const announcer = createAnnouncer({ run: r.run, now: () => now, minIntervalMs: 1000 });
    await announcer.announce(v4);
    now = 999;
    expect(await announcer.announce(v4)).toEqual({ ok: true, value: { kind: 'suppressed' } });
    expect(await announcer.announce({ ...v4, address: '192.0.2.6' })).toEqual({ ok: true, value: { kind: 'sent' } });
    now = 1000;
    expect(await announcer.announce(v4)).toEqual({ ok: true, value: { kind: 'sent' } });
    expect(r.calls).toHaveLength(3);
  });

  it('runs at most `concurrency` helpers at once and suppresses a duplicate while one runs', async () => {
    let running = 0;
    let most = 0;
    const announcer = createAnnouncer({
      concurrency: 2,
      run: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return { kind: 'exited', code: 0, stderr: '' };
      },
    });
    const outcomes = await Promise.all(
      [1, 2, 3, 4, 5, 5].map((n) => announcer.announce({ ...v4, address: `192.0.2.${n}` })),
    );
    expect(most).toBe(2);
    expect(outcomes.map((o) => (o.ok ? o.value.kind : o.error.code))).toEqual([
      'sent',
      'sent',
      'sent',
      'sent',
      'sent',
      'suppressed',
    ]);
  });

  it('answers AnnounceFailed for a failing, missing or hanging helper, and lets the next try run', async () => {
    const failing = createAnnouncer({
      run: recorder({ kind: 'exited', code: 2, stderr: 'arping: bind: Cannot assign requested address' }).run,
    });
    expect(await failing.announce(v4)).toEqual({
      ok: false,
      error: {
        code: 'AnnounceFailed',
        op: 'announce',
        message:
          'announcing 192.0.2.5 on eth0 failed: arping exited with 2: arping: bind: Cannot assign requested address',
      },
    });
    const r = recorder({ kind: 'failed', message: 'arping is not installed' });
    const missing = createAnnouncer({ run: r.run });
    expect(await missing.announce(v4)).toMatchObject({
      ok: false,
      error: { code: 'AnnounceFailed', message: 'announcing 192.0.2.5 on eth0 failed: arping is not installed' },
    });
    await missing.announce(v4);
    expect(r.calls).toHaveLength(2);
    expect(await createAnnouncer({ run: r.run }).announce({ ...v6, mac: undefined })).toMatchObject({
      ok: false,
      error: { code: 'AnnounceFailed' },
    });
  });
});

describe('runHelper', () => {
  it('reports exit codes, a missing program and a timeout as values', async () => {
    expect(await runHelper('true', [], 5000)).toEqual({ kind: 'exited', code: 0, stderr: '' });
    expect(await runHelper('sh', ['-c', 'echo nope >&2; exit 3'], 5000)).toEqual({
      kind: 'exited',
      code: 3,
      stderr: 'nope',
    });
    expect(await runHelper('/nonexistent/arping', [], 5000)).toEqual({
      kind: 'failed',
      message: '/nonexistent/arping is not installed',
    });
    expect(await runHelper('sleep', ['5'], 100)).toEqual({
      kind: 'failed',
      message: 'sleep did not finish within 100 ms',
    });
  });
});
