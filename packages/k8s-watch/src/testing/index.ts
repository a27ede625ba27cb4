// Test doubles and helpers for code built on @purelb/k8s-watch.
export { createFakeClock, flushPromises } from './fake-clock.ts';
export type { FakeClock } from './fake-clock.ts';
export { createScriptedTransport } from './scripted-transport.ts';
export type { PendingList, ScriptedTransport, ScriptedWatch } from './scripted-transport.ts';
export { createFakeLeaseStore } from './fake-lease-store.ts';
export type { FakeLeaseFault, FakeLeaseStore } from './fake-lease-store.ts';
export { waitFor } from './wait-for.ts';
export type { WaitForOptions } from './wait-for.ts';
