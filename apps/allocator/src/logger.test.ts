import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes @purelb/daemon-kit’s bounded JSON lines as purelb-allocator', () => {
    const lines: string[] = [];
    const logger = createLogger('info', {
      write: (line: string) => {
        lines.push(line);
      },
    });
    logger.info('address-assigned', { key: 'ns/a', message: 'x'.repeat(10_000) });
    logger.debug('skipped', {});
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      component: 'purelb-allocator',
      event: 'address-assigned',
      key: 'ns/a',
    });
    expect(line['message']).toMatch(/… \(10,000 characters\)$/);
  });
});
