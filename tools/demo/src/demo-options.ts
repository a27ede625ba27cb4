// The demo's command line → a validated options object. Pure: argv in, result out.

export interface DemoOptions {
  /** Tear everything down right after printing instead of running until Ctrl-C. */
  readonly once: boolean;
  /** How long to wait for every sample Service to be allocated. */
  readonly waitMs: number;
  /** As root: stop the agent that announces the first address and show the new announcer. */
  readonly failover: boolean;
}

export interface DemoOptionError {
  /** The argument the error is about, e.g. `--wait`. */
  readonly path: string;
  readonly message: string;
}

export type ParseDemoOptionsResult =
  | { readonly ok: true; readonly value: DemoOptions }
  | { readonly ok: true; readonly help: true }
  | { readonly ok: false; readonly errors: readonly DemoOptionError[] };

export const demoUsage = `Usage: npm run demo [-- flags]
  --once          print the allocation table and the access instructions, then tear everything down
  --failover      as root: stop the agent announcing an address, print the new announcer and the time taken
  --wait SECONDS  how long to wait for the sample Services to be allocated (default 60)
  --help          print this text
As root the demo first runs a lab of network namespaces (nodes with agents, a client, a BGP router);
without root it says why and runs the allocator alone.
Without --once the control plane and the allocator keep running until Ctrl-C.`;

const DEFAULT_WAIT_MS = 60_000;

/** Parses the demo's arguments; every problem is reported with the argument it is about. */
export function parseDemoOptions(argv: readonly string[]): ParseDemoOptionsResult {
  const errors: DemoOptionError[] = [];
  let once = false;
  let waitMs = DEFAULT_WAIT_MS;
  let help = false;
  let failover = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    switch (name) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--once':
        if (eq !== -1) errors.push({ path: '--once', message: '--once takes no value' });
        once = true;
        break;
      case '--failover':
        if (eq !== -1) errors.push({ path: '--failover', message: '--failover takes no value' });
        failover = true;
        break;
      case '--wait': {
        let raw: string | undefined = eq === -1 ? argv[i + 1] : arg.slice(eq + 1);
        if (eq === -1) {
          if (raw?.startsWith('--') === true) raw = undefined;
          else i++;
        }
        if (raw === undefined) {
          errors.push({ path: '--wait', message: '--wait needs a number of seconds' });
        } else if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 3600) {
          errors.push({
            path: '--wait',
            message: `--wait must be a whole number of seconds from 1 to 3600, got "${raw}"`,
          });
        } else {
          waitMs = Number(raw) * 1000;
        }
        break;
      }
      default:
        errors.push({ path: arg, message: `unknown argument "${arg}"` });
    }
  }
  if (help) return { ok: true, help: true };
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { once, waitMs, failover } };
}
