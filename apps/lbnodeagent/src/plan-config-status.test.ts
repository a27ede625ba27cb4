import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE } from './constants.ts';
import { parseAgentConfig } from './parse-agent-config.ts';
import { planConfigStatus } from './plan-config-status.ts';

const NOW = '2026-11-30T12:00:00Z';

describe('planConfigStatus', () => {
  it('caps a long message in the condition and the Event alike, and converges on it', () => {
    // Many problems, each bounded on its own, still make a long message: 50 bad fields would not fit.
    const parsed = parseAgentConfig({
      local: { localint: `(${'a'.repeat(5000)}`, extlbint: 'x'.repeat(5000), sendgarp: 'y'.repeat(5000) },
    });
    expect(parsed.ok).toBe(false);
    const long = {
      ok: false as const,
      errors: Array.from({ length: 50 }, () => (parsed.ok ? [] : parsed.errors)).flat(),
    };
    const actions = planConfigStatus({ generation: 1, conditions: [] }, long, NOW);
    const status = actions[0]?.kind === 'patch-status' ? actions[0].status : {};
    const condition = (status['conditions'] as { message: string }[])[0];
    expect(condition?.message).toHaveLength(MAX_MESSAGE);
    expect(condition?.message).toMatch(/… \(\d{1,3},\d{3} characters\)$/);
    expect(actions[1]).toEqual({
      kind: 'event',
      type: 'Warning',
      reason: 'InvalidConfig',
      message: condition?.message,
    });
    expect(
      planConfigStatus({ generation: 1, conditions: [{ ...condition, observedGeneration: 1 }] }, long, NOW),
    ).toEqual([]);
  });
});
