// The allocator's logs: @purelb/daemon-kit's bounded JSON lines with `component: purelb-allocator`.
import { createJsonLogger } from '@purelb/daemon-kit';
import type { LogDestination, Logger, LogLevel } from '@purelb/daemon-kit';

export { errorFields, MAX_LOG_FIELD } from '@purelb/daemon-kit';
export type { Fields, Logger } from '@purelb/daemon-kit';

export function createLogger(level: LogLevel, destination?: LogDestination): Logger {
  return createJsonLogger({ level, base: { component: 'purelb-allocator' }, ...(destination ? { destination } : {}) });
}
