// A small detached process that outlives its owner for one purpose: if the owner dies without
// stopping its control plane (SIGKILL, a crashed test worker), kill the control plane's processes
// and remove its directory. It exits by itself once the directory is gone (a normal stop).
//   node watchdog.ts <owner-pid> <control-plane-dir>
import { existsSync } from 'node:fs';
import { destroyNow } from './exit-cleanup.ts';

const POLL_MS = 500;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const owner = Number(process.argv[2]);
const dir = process.argv[3] ?? '';
if (!Number.isInteger(owner) || owner <= 1 || dir === '') {
  process.stderr.write('usage: watchdog.ts <owner-pid> <control-plane-dir>\n');
  process.exit(2);
}
const timer = setInterval(() => {
  if (!existsSync(dir)) {
    clearInterval(timer);
    return;
  }
  if (alive(owner)) return;
  clearInterval(timer);
  try {
    destroyNow(dir);
  } catch {
    // nothing more can be done from here
  }
}, POLL_MS);
