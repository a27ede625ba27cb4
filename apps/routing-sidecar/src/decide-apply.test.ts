import { describe, expect, it } from 'vitest';
import { decideApply } from './decide-apply.ts';
import type { ApplyDecision, Rendered } from './decide-apply.ts';

const bad: Rendered = {
  ok: false,
  errors: [{ code: 'OutOfRange', path: 'peers[0].asn', message: '0 is out of range 1..4294967295' }],
};
const good = (text: string): Rendered => ({ ok: true, text });

describe('decideApply', () => {
  // Each step feeds the running text of the previous one, as the sidecar does.
  it.each<[string, readonly [Rendered, ApplyDecision['kind'], string | undefined][]]>([
    [
      'first good input starts the daemon, a resync changes nothing',
      [
        [good('A'), 'apply', 'A'],
        [good('A'), 'unchanged', 'A'],
      ],
    ],
    [
      'a change reloads, a bad input keeps the last good',
      [
        [good('A'), 'apply', 'A'],
        [good('B'), 'apply', 'B'],
        [bad, 'reject', 'B'],
        [good('B'), 'unchanged', 'B'],
      ],
    ],
    [
      'bad input before any good one starts nothing',
      [
        [bad, 'reject', undefined],
        [good('A'), 'apply', 'A'],
      ],
    ],
  ])('%s', (_name, steps) => {
    let running: string | undefined;
    for (const [rendered, kind, after] of steps) {
      const d = decideApply(rendered, running);
      expect(d.kind).toBe(kind);
      if (d.kind === 'apply') {
        expect(d.start).toBe(running === undefined);
        running = d.text;
      }
      if (d.kind === 'reject') expect(d.keeping).toBe(running !== undefined);
      expect(running).toBe(after);
    }
  });
});
