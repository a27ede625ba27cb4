// A small detached process that outlives the lab's owner for one purpose: if the owner dies without
// destroying its lab (SIGKILL, a crashed test worker), destroy it. It exits by itself once the lab's
// directory is gone (a normal teardown).
//   node watchdog.ts <owner-pid> <lab-dir>
import { existsSync } from 'node:fs';
import { destroyLabNow } from './destroy-lab.ts';
import { isAlive } from './namespaces.ts';

const POLL_MS = 250;

const owner = Number(process.argv[2]);
const dir = process.argv[3] ?? '';
if (!Number.isInteger(owner) || owner <= 1 || dir === '') {
  process.stderr.write('usage: watchdog.ts <owner-pid> <lab-dir>\n');
  process.exit(2);
}
const timer = setInterval(() => {
  if (!existsSync(dir)) {
    clearInterval(timer);
    return;
  }
  if (isAlive(owner)) return;
  clearInterval(timer);
  try {
    destroyLabNow(dir);
  } catch {
    // nothing more can be done from here
  }
}, POLL_MS);
