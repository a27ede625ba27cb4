import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

describe('createLogger', () => {
  it('writes @purelb/daemon-kit’s bounded JSON lines as purelb-routing-sidecar, the level as a word', () => {
    const lines: string[] = [];
    const logger = createLogger('info', {
      write: (line: string) => {
        lines.push(line);
      },
    });
    logger.warn('config-invalid', { value: 'x'.repeat(10_000) });
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', component: 'purelb-routing-sidecar', event: 'config-invalid' });
    expect(line['value']).toMatch(/… \(10,000 characters\)$/);
  });
});
