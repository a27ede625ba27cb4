import { describe, expect, it } from 'vitest';
import { MAX_LOG_FIELD, createJsonLogger } from './logger.ts';
import type { Logger } from './logger.ts';

/** A logger whose lines are collected, parsed. */
function capture(level: 'info' | 'debug' = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createJsonLogger({
    level,
    base: { component: 'purelb-test', node: 'node-a' },
    destination: {
      write: (line: string) => {
        lines.push(line.trimEnd());
      },
    },
  });
  return { logger, lines };
}

const hundredKb = '192.0.2.1,'.repeat(10_240);
const thousandAddresses = Array.from({ length: 1000 }, (_, i) => `192.0.2.${i % 256}`);

describe('createJsonLogger', () => {
  it('writes one JSON line with the level as a word, the base fields, the event and the fields as given when they are short', () => {
    const { logger, lines } = capture();
    logger.info('address-assigned', { key: 'ns/a', addresses: ['192.0.2.1'], group: 'default' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      component: 'purelb-test',
      node: 'node-a',
      event: 'address-assigned',
      key: 'ns/a',
      addresses: ['192.0.2.1'],
      group: 'default',
    });
  });

  it('bounds a 100 KB field, nested ones too, to a prefix and its length', () => {
    const { logger, lines } = capture();
    logger.warn('allocation-failed', {
      key: 'ns/a',
      message: hundredKb,
      error: { code: 'Invalid', message: hundredKb },
    });
    const line = lines[0] ?? '';
    expect(line.length).toBeLessThan(2 * MAX_LOG_FIELD + 200);
    const parsed = JSON.parse(line) as { message: string; error: { message: string } };
    expect(parsed.message).toHaveLength(MAX_LOG_FIELD);
    expect(parsed.message.startsWith('192.0.2.1,192.0.2.1,')).toBe(true);
    expect(parsed.message.endsWith('… (102,400 characters)')).toBe(true);
    expect(parsed.error.message).toBe(parsed.message);
  });

  it('shows the head of a list of 1,000 addresses and how many there were', () => {
    const { logger, lines } = capture();
    logger.info('address-released', { key: 'ns/a', addresses: thousandAddresses });
    const parsed = JSON.parse(lines[0] ?? '') as { addresses: string[] };
    expect(parsed.addresses).toEqual([...thousandAddresses.slice(0, 20), '… (1000 items)']);
    expect((lines[0] ?? '').length).toBeLessThan(600);
  });

  it('bounds the fields of a child logger and skips levels below its own', () => {
    const { logger, lines } = capture('info');
    const child = logger.child({ service: hundredKb });
    child.debug('written', { key: 'ns/a' });
    child.info('started', {});
    expect(lines).toHaveLength(1);
    expect((JSON.parse(lines[0] ?? '') as { service: string }).service).toHaveLength(MAX_LOG_FIELD);
  });

  it('keeps numbers, booleans and an error stack as they are', () => {
    const { logger, lines } = capture();
    const error = new Error('boom');
    logger.error('shutdown-failed', { port: 7472, leading: true, err: { message: error.message, stack: error.stack } });
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      port: 7472,
      leading: true,
      err: { message: 'boom', stack: error.stack },
    });
  });
});
