// The node agent's logs: @purelb/daemon-kit's bounded JSON lines with `component: purelb-lbnodeagent`
// and the node's name on every line.
import { createJsonLogger } from '@purelb/daemon-kit';
import type { LogDestination, Logger, LogLevel } from '@purelb/daemon-kit';

export { errorFields, MAX_LOG_FIELD } from '@purelb/daemon-kit';
export type { Fields, Logger } from '@purelb/daemon-kit';

export function createLogger(level: LogLevel, node: string, destination?: LogDestination): Logger {
  return createJsonLogger({
    level,
    base: { component: 'purelb-lbnodeagent', node },
    ...(destination ? { destination } : {}),
  });
}
