import { describe, expect, it } from 'vitest';
import { MAX_LOG_FIELD, createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes one JSON line with the level as a word, the component, the node and the event', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', 'node-a', {
      write: (line: string) => {
        lines.push(line);
      },
    });
    logger.warn('announce-failed', { address: '192.0.2.1' });
    logger.debug('pass', { changes: 0 });
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 'warn',
        component: 'purelb-lbnodeagent',
        node: 'node-a',
        event: 'announce-failed',
        address: '192.0.2.1',
      }),
      expect.objectContaining({ level: 'debug', event: 'pass', changes: 0 }),
    ]);
  });

  it('bounds a 100 KB field and a list of 1,000 addresses', () => {
    const lines: string[] = [];
    const logger = createLogger('info', 'node-a', {
      write: (line: string) => {
        lines.push(line);
      },
    });
    const addresses = Array.from({ length: 1000 }, (_, i) => `192.0.2.${i % 256}`);
    logger.warn('announce-failed', { message: 'm'.repeat(102_400), addresses, err: { message: 'e'.repeat(102_400) } });
    // Three bounded strings: the message, err.message and pino's copy of it as `msg`.
    expect(lines[0]?.length).toBeLessThan(3 * MAX_LOG_FIELD + 800);
    const line = JSON.parse(lines[0] ?? '') as { message: string; addresses: string[]; err: { message: string } };
    expect(line.message).toBe(`${'m'.repeat(MAX_LOG_FIELD - 22)}… (102,400 characters)`);
    expect(line.err.message).toHaveLength(MAX_LOG_FIELD);
    expect(line.addresses).toEqual([...addresses.slice(0, 20), '… (1000 items)']);
  });
});
