// One term of leadership, in process: an in-memory API server on a hand-driven clock. Deterministic
// and fast; the integration tests run the same code as a process against a real API server.
import { createEventRecorder, watchResource } from '@purelb/k8s-watch';
import type { FakeWrite } from '@purelb/k8s-watch/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPONENT } from './constants.ts';
import type { ServiceGroupObject, ServiceObject } from './kube-objects.ts';
import { startLeaderSession } from './leader-session.ts';
import { createMetrics } from './metrics.ts';
import {
  createInMemoryCluster,
  createMemoryLogger,
  groupsPath,
  INSTALL_NAMESPACE,
  servicesPath,
} from './testing/in-memory-cluster.ts';
import type { InMemoryCluster } from './testing/in-memory-cluster.ts';

const NS = 'apps';
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

function startSession(c: InMemoryCluster, isLeader: () => boolean = () => true) {
  const services = watchResource<ServiceObject>({
    transport: c.api.transport,
    path: '/api/v1/services',
    clock: c.clock,
  });
  const groups = watchResource<ServiceGroupObject>({ transport: c.api.transport, path: groupsPath(), clock: c.clock });
  const logger = createMemoryLogger();
  const session = startLeaderSession({
    services,
    groups,
    namespace: INSTALL_NAMESPACE,
    filter: { defaultClass: true },
    execute: {
      writer: c.api.writer,
      recorder: createEventRecorder({ writer: c.api.writer, component: COMPONENT, wallClock: () => new Date(0) }),
    },
    isLeader,
    logger,
    metrics: createMetrics({ processMetrics: false }),
    clock: c.clock,
    now: () => 0,
    concurrency: 2,
    groupStatusDelayMs: 200,
  });
  const stop = async (): Promise<void> => {
    await session.stop();
    services.stop();
    groups.stop();
  };
  stops.push(stop);
  return { session, logger, stop };
}

const toService = (c: InMemoryCluster, name: string) => (w: FakeWrite) => w.path === `${servicesPath(NS)}/${name}`;

describe('a leader session', () => {
  it('imports every existing allocation before it allocates anything new', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.10-192.0.2.11']);
    // The new Service comes first in every order the session could use but the import's.
    c.putService(NS, 'a-new', { createdAt: '2026-02-01T00:00:00Z' });
    c.putService(NS, 'z-old', { ingress: ['192.0.2.10'], createdAt: '2026-01-01T00:00:00Z' });
    const { session, logger } = startSession(c);
    await c.run(1000);
    expect(await session.started).toBe(true);
    expect([c.shows(NS, 'a-new'), c.shows(NS, 'z-old')]).toEqual(['192.0.2.11 Allocated', '192.0.2.10 Allocated']);
    const events = logger.lines.map((l) => l.event);
    expect(events.indexOf('allocations-imported')).toBeLessThan(events.indexOf('address-assigned'));
    expect(logger.lines.find((l) => l.event === 'allocations-imported')?.fields).toMatchObject({
      services: 1,
      imported: 1,
      issues: 0,
    });
  });

  it('retries a write that failed for a passing reason until it succeeds', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.10-192.0.2.11']);
    c.putService(NS, 'web');
    let refusals = 2;
    c.api.setWriteRule((w) =>
      w.op === 'patch-status' && toService(c, 'web')(w) && refusals-- > 0
        ? { code: 'Unavailable', status: 503, message: 'try later' }
        : undefined,
    );
    startSession(c);
    await c.run(10_000);
    expect(c.shows(NS, 'web')).toBe('192.0.2.10 Allocated');
    expect(c.api.writes.filter((w) => w.op === 'patch-status' && toService(c, 'web')(w)).map((w) => w.outcome)).toEqual(
      ['Unavailable', 'Unavailable', 'ok'],
    );
  });

  it('does not retry a write the server refused as invalid, until the Service changes', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.10-192.0.2.11']);
    c.putService(NS, 'web');
    c.api.setWriteRule((w) =>
      toService(c, 'web')(w)
        ? { code: 'Invalid', status: 422, message: 'metadata.annotations: Invalid value' }
        : undefined,
    );
    const { logger } = startSession(c);
    await c.run(60_000);
    const attempts = (): number => c.api.writes.filter(toService(c, 'web')).length;
    expect(attempts()).toBe(1);
    expect(logger.lines.filter((l) => l.event === 'write-failed').map((l) => l.fields['code'])).toEqual(['Invalid']);
    c.api.setWriteRule(undefined);
    await c.run(60_000);
    expect(attempts()).toBe(1);
    // An edit of the Service is a new reason to try.
    c.putService(NS, 'web', { annotations: { touched: 'yes' } });
    await c.run(1000);
    expect(c.shows(NS, 'web')).toBe('192.0.2.10 Allocated');
  });

  it('a released address unblocks a pending Service at once, although that Service did not change', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.10/32']);
    c.putService(NS, 'holder', { createdAt: '2026-01-01T00:00:00Z' });
    startSession(c);
    await c.run(1000);
    c.putService(NS, 'waiting', { createdAt: '2026-01-02T00:00:00Z' });
    await c.run(60_000);
    expect([c.shows(NS, 'holder'), c.shows(NS, 'waiting')]).toEqual(['192.0.2.10 Allocated', '- PoolExhausted']);
    const before = c.api.writes.filter(toService(c, 'waiting')).length;
    await c.run(60_000);
    expect(c.api.writes.filter(toService(c, 'waiting')).length).toBe(before);
    c.api.remove(`${servicesPath(NS)}/holder`);
    await c.run(1000);
    expect(c.shows(NS, 'waiting')).toBe('192.0.2.10 Allocated');
  });

  it('writes nothing more once leadership is lost in the middle of a batch, and leaves the rest to the next leader', async () => {
    const c = createInMemoryCluster();
    c.putGroup('default', ['192.0.2.0/24']);
    for (let i = 0; i < 10; i++) c.putService(NS, `svc-${i}`);
    let leading = true;
    let lostAt = -1;
    c.api.setWriteRule((w) => {
      if (w.op === 'patch-status' && c.api.writes.filter((x) => x.op === 'patch-status').length === 2) {
        leading = false;
        lostAt = c.api.writes.length;
      }
      return undefined;
    });
    const { logger, stop } = startSession(c, () => leading);
    await c.run(5000);
    expect(lostAt).toBeGreaterThan(0);
    expect(c.api.writes.slice(lostAt + 1)).toEqual([]);
    expect(c.api.writes.filter((w) => w.op === 'patch-status' && w.path.includes('/services/'))).toHaveLength(3);
    expect(logger.lines.filter((l) => l.event === 'write-skipped').length).toBeGreaterThan(0);
    await stop();
    await c.run(60_000);
    expect(c.api.writes.slice(lostAt + 1)).toEqual([]);

    // The next leader imports what was written and finishes the batch: every Service once, none twice.
    const shownBefore = Array.from({ length: 10 }, (_, i) => c.shows(NS, `svc-${i}`)).filter((s) => !s.startsWith('-'));
    startSession(c);
    await c.run(5000);
    const shown = Array.from({ length: 10 }, (_, i) => c.shows(NS, `svc-${i}`));
    expect(shown.every((s) => s.endsWith(' Allocated'))).toBe(true);
    expect(new Set(shown).size).toBe(10);
    for (const s of shownBefore) expect(shown).toContain(s.replace(/ .*/, ' Allocated'));
  });
});
