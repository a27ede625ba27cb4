// Structured JSON logs on stdout. Every line carries a stable `event` key naming what happened.
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

function wrap(p: PinoLogger): Logger {
  return {
    fatal: (event, fields) => {
      p.fatal({ ...fields, event });
    },
    error: (event, fields) => {
      p.error({ ...fields, event });
    },
    warn: (event, fields) => {
      p.warn({ ...fields, event });
    },
    info: (event, fields) => {
      p.info({ ...fields, event });
    },
    debug: (event, fields) => {
      p.debug({ ...fields, event });
    },
    child: (fields) => wrap(p.child(fields)),
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
