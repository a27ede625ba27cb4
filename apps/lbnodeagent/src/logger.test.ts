import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

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
});
