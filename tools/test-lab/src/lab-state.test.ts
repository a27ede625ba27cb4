import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseState, readState, statePath, writeState } from './lab-state.ts';
import type { LabState } from './lab-state.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state: LabState = {
  id: 'abc',
  ownerPid: 42,
  namespaces: ['plab-abc-lan', 'plab-abc-node-1'],
  processes: [{ pid: 43, argv0: '/usr/bin/node', role: 'api-server-relay' }],
};

describe('lab state', () => {
  it('round-trips through its directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'purelb-lab-state-test-'));
    dirs.push(dir);
    writeState(dir, state);
    expect(readState(dir)).toEqual(state);
  });

  it('is undefined when missing, torn or of another shape', () => {
    const dir = mkdtempSync(join(tmpdir(), 'purelb-lab-state-test-'));
    dirs.push(dir);
    expect(readState(dir)).toBeUndefined();
    writeFileSync(statePath(dir), '{"id": "abc", "ownerPid"');
    expect(readState(dir)).toBeUndefined();
    expect(parseState('[]')).toBeUndefined();
    expect(parseState(JSON.stringify({ ...state, namespaces: [1] }))).toBeUndefined();
    expect(parseState(JSON.stringify({ ...state, processes: [{ pid: '43', argv0: 'x' }] }))).toBeUndefined();
  });
});
