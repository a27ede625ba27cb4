// Hostile annotations against the real API server: whatever a user writes, the condition, the Event
// and the allocator's log lines show a bounded prefix and the length of the whole, never the value.
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE } from './constants.ts';
import { MAX_LOG_FIELD } from './logger.ts';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition } from './testing/fixtures.ts';

const G = 'bounded';
const t = useAllocatorScene({
  name: 'bounded',
  groups: { [G]: { v4pools: [{ pool: '192.0.2.200/29', subnet: '192.0.2.0/24' }] } },
});

const hundredKb = '9'.repeat(100 * 1024);
const thousandAddresses = Array.from({ length: 1000 }, (_, i) => `192.0.2.${i % 256}`).join(',');
const length = (text: string): string => `(${text.length.toLocaleString('en-US')} characters)`;

describe('bounded output', () => {
  it.each([
    [
      'huge-addresses',
      'a 100 KB purelb.io/addresses',
      { 'purelb.io/addresses': hundredKb },
      'InvalidAnnotation',
      hundredKb,
    ],
    [
      'many-addresses',
      '1,000 comma-separated addresses',
      { 'purelb.io/addresses': thousandAddresses },
      'InvalidAnnotation',
      thousandAddresses,
    ],
    [
      'huge-group',
      'a 100 KB purelb.io/service-group',
      { 'purelb.io/service-group': `g${hundredKb}` },
      'GroupNotFound',
      `g${hundredKb}`,
    ],
  ])('%s: %s gives a bounded condition, Event and log line', async (name, _, annotations, reason, value) => {
    await t.createService(name, { annotations: { 'purelb.io/allow-shared-ip': hundredKb, ...annotations } });
    const condition = allocatedCondition(await t.waitForReason(name, reason));
    expect(condition?.status).toBe('False');
    expect(condition?.message).toContain(length(value));
    expect(condition?.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    expect(condition?.message).not.toContain(value.slice(0, 200));

    const events = await t.waitForEvent(name, reason);
    const warning = events.find((e) => e.reason === reason);
    expect(warning).toMatchObject({ type: 'Warning', message: condition?.message });

    const key = `${t.ns}/${name}`;
    const failed = await t.waitFor(`the allocation-failed log line of ${key}`, () =>
      t.allocator.logs.find((l) => l.event === 'allocation-failed' && l.key === key),
    );
    expect(failed.message).toBe(condition?.message);
    // Every line the allocator printed, whichever Service it was about, stays small.
    const longest = Math.max(...t.allocator.logs.map((l) => JSON.stringify(l).length));
    expect(longest).toBeLessThan(2 * MAX_LOG_FIELD);
    expect(t.allocator.otherOutput.every((l) => l.length < 2 * MAX_LOG_FIELD)).toBe(true);
  });
});
