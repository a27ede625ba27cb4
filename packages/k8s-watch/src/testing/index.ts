// Test doubles and helpers for code built on @purelb/k8s-watch.
export { createFakeClock, flushPromises } from './fake-clock.ts';
export type { FakeClock } from './fake-clock.ts';
export { createScriptedTransport } from './scripted-transport.ts';
export type { PendingList, ScriptedTransport, ScriptedWatch } from './scripted-transport.ts';
export { createFakeLeaseStore } from './fake-lease-store.ts';
export type { FakeLeaseFault, FakeLeaseStore } from './fake-lease-store.ts';
export { createFakeApiServer } from './fake-api-server.ts';
export type { FakeApiServer, FakeWrite, FakeWriteRecord, FakeWriteRule } from './fake-api-server.ts';
export { applyMergePatch } from './merge-patch.ts';
export { WIRE_MANAGED_FIELDS, wireService } from './wire-objects.ts';
export type { WireServiceParts } from './wire-objects.ts';
