// createLab: the plan, built on the real kernel, with the API server relay and teardown on every
// kind of exit.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { destroyLabNow } from './destroy-lab.ts';
import { cleanUpOnExit, forgetOnExit } from './exit-cleanup.ts';
import { labStages } from './lab-commands.ts';
import type { IpBatch } from './lab-commands.ts';
import { planLab } from './lab-plan.ts';
import type { LabHost, LabPlan } from './lab-plan.ts';
import { writeState } from './lab-state.ts';
import type { LabProcessRecord, LabState } from './lab-state.ts';
import { labSupport } from './lab-support.ts';
import { isAlive } from './namespaces.ts';
import { parseApiServer } from './api-server-address.ts';
import type { ApiServerAddress } from './api-server-address.ts';
import { runCommand } from './run-command.ts';
import type { CommandResult, RunOptions } from './run-command.ts';
import { startRelay } from './start-relay.ts';

export interface LabOptions {
  /** Node namespaces, 1 to 100. */
  readonly nodes: number;
  /** Nodes (1-based) that also join the second LAN (198.51.100.0/24, 2001:db8:2::/64) on `eth1`. */
  readonly secondLan?: readonly number[];
  /** Nodes (1-based) on the second LAN only: their `eth0` is there (two-subnet elections). */
  readonly secondLanOnly?: readonly number[];
  /**
   * A router namespace on every LAN (`.1` / `::1`, forwarding on; hosts get default routes through
   * it) and a remote client behind it on 203.0.113.0/24, 2001:db8:3::/64.
   */
  readonly router?: boolean;
  /**
   * The API server to relay into every node namespace: a URL (`https://127.0.0.1:6443`, e.g. a
   * kubeconfig's `server`) or a loopback host and port. Inside each node namespace the same address
   * and port then reach it, so the ordinary kubeconfig works unchanged.
   */
  readonly apiServer?: string | ApiServerAddress;
  /** Namespaces are `plab-<id>-…`; default 6 random hex digits. */
  readonly id?: string;
  /**
   * Destroy the lab when this process ends (exit, SIGINT, SIGTERM, SIGHUP; a detached watchdog
   * covers SIGKILL). Default true; the CLI's `up` turns it off.
   */
  readonly cleanUpOnExit?: boolean;
  /** Where the lab's directory goes (default the OS temp dir). */
  readonly tmpRoot?: string;
}

/** A namespace of the lab, by its host or by name. */
export type LabTarget = LabHost | string;

/** The plan's hosts and segments (see `LabPlan`), and what to do with them. */
export interface Lab extends Pick<
  LabPlan,
  'id' | 'segments' | 'nodes' | 'client' | 'router' | 'remoteClient' | 'hosts' | 'namespaces'
> {
  /** Holds `state.json` and `relay.log`; gone after `destroy()`. */
  readonly dir: string;
  /** The relayed API server, reachable at this same address inside every node namespace. */
  readonly apiServer: ApiServerAddress | undefined;
  /** Runs `argv` inside the namespace to completion; a non-zero exit is a value, not a rejection. */
  exec(target: LabTarget, argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
  /** Starts `argv` inside the namespace (`ip netns exec`, same PID); killed by `destroy()`. */
  spawnIn(target: LabTarget, argv: readonly string[], options?: SpawnOptions): ChildProcess;
  /** One `ping -c1 -W1` from the namespace to `address` (IPv4 or IPv6); whether it answered. */
  ping(from: LabTarget, address: string): Promise<boolean>;
  /** Kills every process in the lab and the relay, deletes every namespace; a second call does nothing. */
  destroy(): Promise<void>;
}

function describeBatch(batch: IpBatch): string {
  return batch.namespace === undefined ? 'ip -batch' : `ip -n ${batch.namespace} -batch`;
}

async function runBatch(batch: IpBatch): Promise<void> {
  const args = batch.namespace === undefined ? ['-batch', '-'] : ['-n', batch.namespace, '-batch', '-'];
  const res = await runCommand(['ip', ...args], { input: `${batch.lines.join('\n')}\n` });
  if (res.code !== 0) throw new Error(`building the lab failed at ${describeBatch(batch)}: ${res.stderr.trim()}`);
}

function planOrThrow(options: LabOptions, id: string): LabPlan {
  const planned = planLab({
    id,
    nodes: options.nodes,
    secondLan: options.secondLan ?? [],
    secondLanOnly: options.secondLanOnly ?? [],
    router: options.router ?? false,
  });
  if (!planned.ok)
    throw new Error(`bad lab options: ${planned.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return planned.value;
}

/** Builds a lab; throws with one plain message when this machine cannot (not root, no netns). */
export async function createLab(options: LabOptions): Promise<Lab> {
  const support = labSupport();
  if (!support.ok) throw new Error(support.error.message);
  const plan = planOrThrow(options, options.id ?? randomBytes(3).toString('hex'));
  const apiServer = options.apiServer === undefined ? undefined : parseApiServer(options.apiServer);
  if (apiServer !== undefined && !apiServer.ok) throw new Error(apiServer.error.message);

  const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'purelb-lab-'));
  const cleanUp = options.cleanUpOnExit ?? true;
  // A lab kept past this process (the CLI's `up`) has no owner: 0.
  const ownerPid = cleanUp ? process.pid : 0;
  let state: LabState = { id: plan.id, ownerPid, namespaces: plan.namespaces, processes: [] };
  writeState(dir, state);
  if (cleanUp) cleanUpOnExit(dir);
  const abandon = (): number[] => {
    const killed = destroyLabNow(dir);
    forgetOnExit(dir);
    return killed;
  };
  try {
    for (const stage of labStages(plan)) await Promise.all(stage.map(runBatch));
    if (apiServer !== undefined) {
      await startRelay({
        dir,
        upstream: apiServer.value,
        namespaces: plan.nodes.map((n) => n.namespace),
        onStarted: (record: LabProcessRecord) => {
          state = { ...state, processes: [...state.processes, record] };
          writeState(dir, state);
        },
      });
    }
  } catch (error) {
    abandon();
    throw error;
  }
  return labHandle({ plan, dir, apiServer: apiServer?.value, abandon });
}

function labHandle(input: {
  plan: LabPlan;
  dir: string;
  apiServer: ApiServerAddress | undefined;
  abandon: () => number[];
}): Lab {
  const { plan, dir } = input;
  const spawned = new Set<ChildProcess>();
  let destroyed = false;
  const namespaceOf = (target: LabTarget): string => {
    const ns = typeof target === 'string' ? target : target.namespace;
    if (!plan.namespaces.includes(ns)) throw new Error(`${ns} is not a namespace of lab ${plan.id}`);
    return ns;
  };
  const { id, segments, nodes, client, router, remoteClient, hosts, namespaces } = plan;
  const lab: Lab = {
    ...{ id, segments, nodes, client, router, remoteClient, hosts, namespaces },
    dir,
    apiServer: input.apiServer,
    exec: (target, argv, options) => runCommand(['ip', 'netns', 'exec', namespaceOf(target), ...argv], options),
    spawnIn: (target, argv, options = {}) => {
      if (destroyed) throw new Error(`lab ${plan.id} is destroyed`);
      const child = spawn('ip', ['netns', 'exec', namespaceOf(target), ...argv], options);
      spawned.add(child);
      child.once('exit', () => spawned.delete(child));
      return child;
    },
    ping: async (from, address) => (await lab.exec(from, ['ping', '-n', '-c1', '-W1', address])).code === 0,
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      const pids = [...spawned].flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
      pids.push(...input.abandon());
      // Every process was SIGKILLed; give the kernel (and Node, for its own children) a moment to reap.
      for (let i = 0; i < 200 && pids.some(isAlive); i++) await sleep(10);
    },
  };
  return lab;
}
