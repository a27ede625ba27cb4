// `npm run demo`: a real control plane, the allocator and sample Services on this machine.
// Runs until Ctrl-C (or SIGTERM); `--once` tears down right after printing. See demoUsage.
import { startControlPlane } from '@purelb/test-control-plane';
import { demoUsage, parseDemoOptions } from './demo-options.ts';
import { runDemo } from './run-demo.ts';

const parsed = parseDemoOptions(process.argv.slice(2));
if (!parsed.ok) {
  for (const e of parsed.errors) console.error(`${e.path}: ${e.message}`);
  console.error(demoUsage);
  process.exit(2);
}
if ('help' in parsed) {
  console.log(demoUsage);
  process.exit(0);
}

const stop = new AbortController();
const onSignal = (): void => {
  if (stop.signal.aborted) {
    process.stderr.write('Quitting without cleaning up.\n');
    process.exit(130);
  }
  process.stderr.write('\nStopping (press Ctrl-C again to quit at once)…\n');
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runDemo(parsed.value, {
  // The harness builds the binaries when they are not cached (progress on stderr), applies the CRDs,
  // and kills what it started if this process dies without stopping it. Its Service CIDRs are
  // dual-stack, so IPv6 and dual-stack Services can be created.
  startControlPlane: () => startControlPlane(),
  out: (text) => process.stdout.write(text),
  note: (text) => process.stderr.write(`${text}\n`),
  stop: stop.signal,
});
process.exit(code);
