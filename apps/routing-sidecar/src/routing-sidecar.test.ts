// The sidecar's passes against an in-memory API server and a fake daemon: what reaches the daemon,
// what is logged and which Events are posted, step by step. The real daemon and API server are in
// routing.int.test.ts.
import { createEventRecorder } from '@purelb/k8s-watch';
import { createFakeApiServer } from '@purelb/k8s-watch/testing';
import { describe, expect, it } from 'vitest';
import type { BirdDaemon, DaemonResult } from './bird-daemon.ts';
import type { Logger } from './logger.ts';
import { startRoutingSidecar } from './routing-sidecar.ts';

const NS = 'purelb';
const CONFIG_MAPS = `/api/v1/namespaces/${NS}/configmaps`;
const GOOD = 'localASN: 64512\npeers: [{ address: 192.0.2.1, asn: 64500 }]\n';
const GOOD_2 = 'localASN: 64512\ncommunities: ["64512:7"]\npeers: [{ address: 192.0.2.1, asn: 64500 }]\n';
const BAD = 'localASN: 64512\npeers: [{ address: 192.0.2.1, asn: 4294967296 }]\n';

type Step =
  | { readonly put: string | undefined; readonly other?: boolean }
  | { readonly remove: true }
  | { readonly daemonFails: boolean };

interface Seen {
  /** Texts handed to the daemon, by the community they carry (`none` or `64512:7`). */
  readonly applied: string[];
  readonly events: string[];
  readonly logs: string[];
}

async function run(
  steps: readonly Step[],
  host: { readonly hostIp: string | undefined } = { hostIp: '192.0.2.11' },
): Promise<Seen> {
  const { hostIp } = host;
  const api = createFakeApiServer();
  const seen: Seen = { applied: [], events: [], logs: [] };
  let fail = false;
  const daemon: BirdDaemon = {
    configPath: '/x/bird.conf',
    socketPath: '/x/bird.ctl',
    apply: (text): Promise<DaemonResult> => {
      seen.applied.push(text.includes('(64512, 7)') ? '64512:7' : 'none');
      return Promise.resolve(
        fail ? { ok: false, error: { code: 'ReloadFailed', message: 'birdc configure failed: no' } } : { ok: true },
      );
    },
    stop: () => Promise.resolve(),
    onUnexpectedExit: () => undefined,
  };
  const log = (level: string) => (event: string, fields?: Readonly<Record<string, unknown>>) => {
    const problems = fields?.['problems'];
    seen.logs.push(`${level} ${event}${Array.isArray(problems) ? ` ${problems.join('; ')}` : ''}`);
  };
  const logger: Logger = {
    fatal: log('fatal'),
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: () => undefined,
    child: () => logger,
  };
  const sidecar = startRoutingSidecar({
    transport: api.transport,
    recorder: createEventRecorder({ writer: api.writer, component: 'purelb-routing-sidecar', host: 'node-1' }),
    daemon,
    options: { namespace: NS, configMap: 'purelb-routing', hostIp },
    logger,
    interfaces: () => ({}),
  });
  for (const step of steps) {
    if ('daemonFails' in step) fail = step.daemonFails;
    else if ('remove' in step) api.remove(`${CONFIG_MAPS}/purelb-routing`);
    else {
      const name = step.other === true ? 'unrelated' : 'purelb-routing';
      api.put(CONFIG_MAPS, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: NS },
        data: step.put === undefined ? {} : { 'routing.yaml': step.put },
      });
    }
    // The watch's emission and the pass that follows are chains of zero-delay timers and promises:
    // each 1 ms timer here runs after every timer queued before it, so 40 of them outlast the chain.
    for (let i = 0; i < 40; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await sidecar.stop();
  for (const w of api.list(`/api/v1/namespaces/${NS}/events`) as { type: string; reason: string; message: string }[])
    seen.events.push(`${w.type} ${w.reason}: ${w.message}`);
  return seen;
}

describe('startRoutingSidecar', () => {
  it('applies the first good input and nothing more while the rendered text stays the same', async () => {
    const seen = await run([{ put: GOOD }, { put: GOOD }, { put: GOOD, other: true }, { put: `# a comment\n${GOOD}` }]);
    expect(seen.applied).toEqual(['none']);
    expect(seen.events).toEqual(['Normal RoutingConfigApplied: 1 BGP peer(s), router ID 192.0.2.11']);
  });

  it('reloads on a change; a bad input is reported once and the last good configuration stays', async () => {
    const seen = await run([{ put: GOOD }, { put: GOOD_2 }, { put: BAD }, { put: BAD }, { put: GOOD_2 }]);
    expect(seen.applied).toEqual(['none', '64512:7']);
    expect(seen.logs.filter((l) => l.startsWith('error'))).toEqual([
      'error routing-config-invalid peers[0].asn: 4294967296 is out of range 1..4294967295',
      'error routing-config-invalid peers[0].asn: 4294967296 is out of range 1..4294967295',
    ]);
    expect(seen.events).toEqual([
      'Normal RoutingConfigApplied: 1 BGP peer(s), router ID 192.0.2.11',
      'Warning InvalidRoutingConfig: peers[0].asn: 4294967296 is out of range 1..4294967295 (the last good configuration stays)',
    ]);
  });

  it('starts nothing until the ConfigMap exists and keeps running when it is deleted', async () => {
    const seen = await run([{ put: 'x', other: true }, { put: GOOD }, { remove: true }, { put: GOOD }]);
    expect(seen.applied).toEqual(['none']);
    expect(seen.logs.filter((l) => l.includes('missing'))).toEqual([
      'warn routing-config-missing',
      'warn routing-config-missing',
    ]);
  });

  it('reports a configuration the daemon refused, and tries again on the next change', async () => {
    const seen = await run([{ daemonFails: true }, { put: GOOD }, { daemonFails: false }, { put: GOOD_2 }]);
    expect(seen.applied).toEqual(['none', '64512:7']);
    expect(seen.events).toEqual([
      'Warning RoutingConfigRejected: birdc configure failed: no',
      'Normal RoutingConfigApplied: 1 BGP peer(s), router ID 192.0.2.11',
    ]);
  });

  it('reports a router ID it cannot resolve as a located problem', async () => {
    const seen = await run([{ put: GOOD }], { hostIp: undefined });
    expect(seen.applied).toEqual([]);
    expect(seen.events).toEqual([
      'Warning InvalidRoutingConfig: routerID: hostIP cannot give a router ID: no host IP was given (--host-ip, HOST_IP); use interface:NAME (no configuration runs yet)',
    ]);
  });
});
