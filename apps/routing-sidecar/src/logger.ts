// The routing sidecar's logs: @purelb/daemon-kit's bounded JSON lines with
// `component: purelb-routing-sidecar` (its configuration comes from users: long values are cut).
import { createJsonLogger } from '@purelb/daemon-kit';
import type { LogDestination, Logger, LogLevel } from '@purelb/daemon-kit';

export { errorFields } from '@purelb/daemon-kit';
export type { Fields, Logger } from '@purelb/daemon-kit';

export function createLogger(level: LogLevel, destination?: LogDestination): Logger {
  return createJsonLogger({
    level,
    base: { component: 'purelb-routing-sidecar' },
    ...(destination ? { destination } : {}),
  });
}
