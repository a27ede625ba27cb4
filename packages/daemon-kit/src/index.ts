// What PureLB's daemons share at run time (the allocator, the node agent, the routing sidecar).
export { boundFields, createJsonLogger, errorFields, LOG_LEVELS, MAX_LOG_FIELD } from './logger.ts';
export type { Fields, JsonLoggerOptions, LogDestination, Logger, LogLevel } from './logger.ts';
export { startHealthServer } from './health-server.ts';
export type { HealthServer, ListenAddress, Readiness } from './health-server.ts';
export { kubeconfigSource, parseBool, parseListen, readFlags } from './command-line.ts';
export type { CommandLineError, CommandLineErrorCode, ErrorSink, FlagsRead } from './command-line.ts';
