// A fault from outside, for the crash test: loaded into a real allocator process with
// `node --import <this file's URL>?file=PATH`, it waits until PATH exists and then throws from a timer
// (or, when PATH says `reject`, leaves a rejected promise unhandled). Never part of the daemon.
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The `--import` argument that arms the fault; creating `triggerPath` fires it. */
export function faultImport(triggerPath: string): string {
  const url = pathToFileURL(import.meta.filename);
  url.searchParams.set('file', triggerPath);
  return url.href;
}

const trigger = new URL(import.meta.url).searchParams.get('file');
if (trigger !== null) {
  const timer = setInterval(() => {
    if (!existsSync(trigger)) return;
    clearInterval(timer);
    const kind = readFileSync(trigger, 'utf8').trim();
    if (kind === 'reject') void Promise.reject(new Error('injected fault (unhandled rejection)'));
    else throw new Error('injected fault (uncaught exception)');
  }, 50);
  timer.unref();
}
