// Structured JSON logs on stdout, the same for every daemon. Every line carries a stable `event` key
// naming what happened, the level as a word, and fields in which every string is bounded: a long
// string shows as a prefix and its length, a long list as its head (a user's 100 KB annotation
// never reaches a log line whole).
import { boundText } from '@purelb/ipam-core';
import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

export type Fields = Readonly<Record<string, unknown>>;

/** The narrow logger a daemon's parts receive: one method per level, an event name, fields. */
export interface Logger {
  /** The process is about to end because of a fault. */
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

/** pino's levels, and `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Where lines go: anything with `write(line)`. */
export type LogDestination = DestinationStream;

export interface JsonLoggerOptions {
  readonly level: LogLevel;
  /** Fields on every line, e.g. `{ component: 'purelb-allocator' }`. */
  readonly base: Fields;
  /** Where lines go; default stdout, written synchronously (nothing is lost when the process exits). */
  readonly destination?: LogDestination;
}

export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const pinoOptions = {
    level: options.level,
    base: boundFields(options.base),
    timestamp: pino.stdTimeFunctions.isoTime,
    // `"level":"info"`, not pino's number: what log tools and people read without a table.
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return wrap(
    options.destination === undefined
      ? pino(pinoOptions, pino.destination({ fd: 1, sync: true }))
      : pino(pinoOptions, options.destination),
  );
}

/** Turns an unknown thrown value into loggable fields. */
export function errorFields(err: unknown): Fields {
  if (err instanceof Error) return { err: { message: err.message, name: err.name, stack: err.stack } };
  return { err: { message: String(err) } };
}
