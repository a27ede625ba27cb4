// Structured JSON logs on stdout. Every line carries a stable `event` key naming what happened, and
// every field is bounded: a long string shows as a prefix and its length, a long list as its head.
import { boundText } from '@purelb/ipam-core';
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { LogLevel } from './options.ts';

export type Fields = Readonly<Record<string, unknown>>;

/** The narrow logger the agent's parts receive: one method per level, an event name, fields. */
export interface Logger {
  fatal(event: string, fields?: Fields): void;
  error(event: string, fields?: Fields): void;
  warn(event: string, fields?: Fields): void;
  info(event: string, fields?: Fields): void;
  debug(event: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

/** Longest string in a log field (a stack trace fits), and most items of a list shown. */
export const MAX_LOG_FIELD = 2048;
const MAX_LOG_ITEMS = 20;

function boundValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return boundText(value, { quote: false, max: MAX_LOG_FIELD });
  if (typeof value !== 'object' || value === null || depth > 4) return value;
  if (Array.isArray(value)) {
    const head = value.slice(0, MAX_LOG_ITEMS).map((v) => boundValue(v, depth + 1));
    return value.length > MAX_LOG_ITEMS ? [...head, `… (${value.length} items)`] : head;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return boundFields(value as Fields, depth + 1);
}

/** The fields with every string (also inside plain objects and lists) bounded. */
export function boundFields(fields: Fields | undefined, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) out[k] = boundValue(v, depth);
  return out;
}

function wrap(p: PinoLogger): Logger {
  const at =
    (level: 'fatal' | 'error' | 'warn' | 'info' | 'debug') =>
    (event: string, fields?: Fields): void => {
      if (p.isLevelEnabled(level)) p[level]({ ...boundFields(fields), event });
    };
  return {
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (fields) => wrap(p.child(boundFields(fields))),
  };
}

/** A logger writing synchronously to stdout (or to `destination`), with `component` and `node` on every line. */
export function createLogger(level: LogLevel, node: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { component: 'purelb-lbnodeagent', node },
    timestamp: pino.stdTimeFunctions.isoTime,
    // `"level":"info"`, not pino's number, as the allocator writes it.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return wrap(
    destination === undefined ? pino(options, pino.destination({ fd: 1, sync: true })) : pino(options, destination),
  );
}

/** Turns an unknown thrown value into loggable fields. */
export function errorFields(err: unknown): Fields {
  if (err instanceof Error) return { err: { message: err.message, name: err.name, stack: err.stack } };
  return { err: { message: String(err) } };
}
