import { describe, expect, it } from 'vitest';
import { parseRunFile, runFilePath } from './run-file.ts';

describe('runFilePath', () => {
  it('lives under PURELB_CACHE when set', () => {
    expect(runFilePath({ PURELB_CACHE: '/c' })).toBe('/c/run/control-plane.json');
  });
  it('else under XDG_CACHE_HOME/purelb', () => {
    expect(runFilePath({ XDG_CACHE_HOME: '/x' })).toBe('/x/purelb/run/control-plane.json');
  });
});

describe('parseRunFile', () => {
  const run = {
    statePath: '/tmp/cp/state.json',
    kubeconfigPath: '/tmp/cp/kubeconfig',
    server: 'https://127.0.0.1:6443',
    etcdUrl: 'http://127.0.0.1:2379',
    pids: { etcd: 10, kubeApiServer: 11 },
  };
  it('reads what the CLI writes', () => {
    expect(parseRunFile(JSON.stringify(run))).toEqual(run);
  });
  it.each(['', 'null', '[]', JSON.stringify({ ...run, statePath: 1 }), JSON.stringify({ ...run, pids: {} })])(
    'returns undefined for %j',
    (text) => {
      expect(parseRunFile(text)).toBeUndefined();
    },
  );
});
