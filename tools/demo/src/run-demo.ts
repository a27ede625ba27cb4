// The demo from start to finish: control plane, sample groups, allocator, sample Services, the table,
// the access instructions; then either tear down (--once) or wait for the stop signal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { startAllocatorProcess } from '@purelb/allocator/testing';
import { createKubeClient } from '@purelb/test-control-plane';
import { labSupport } from '@purelb/test-lab';
import { formatAccessInstructions } from './access-instructions.ts';
import { formatAllocationTable } from './allocation-table.ts';
import { createCleanupStack } from './cleanup-stack.ts';
import { writeClientCredentials } from './client-credentials.ts';
import type { DemoOptions } from './demo-options.ts';
import { detectKubectl } from './detect-kubectl.ts';
import { installPureLB } from './install-purelb.ts';
import { runLabDemo } from './lab-demo.ts';
import { createServices, ensureNamespace } from './install-samples.ts';
import { sampleServiceGroups } from './sample-service-groups.ts';
import { sampleServices } from './sample-services.ts';
import { waitForAllocation } from './wait-for-allocation.ts';

export const INSTALL_NAMESPACE = 'purelb';
export const SERVICE_NAMESPACE = 'demo';

/** The running control plane, as the demo needs it. */
export interface DemoControlPlane {
  readonly kubeconfigPath: string;
  readonly server: string;
  stop(): Promise<void>;
}

export interface DemoDependencies {
  /** Builds the binaries if needed and starts the control plane with the CRDs applied. */
  readonly startControlPlane: () => Promise<DemoControlPlane>;
  /** Table and instructions. */
  readonly out: (text: string) => void;
  /** Progress and problems. */
  readonly note: (text: string) => void;
  /** Aborted when the user asks to stop (Ctrl-C). */
  readonly stop: AbortSignal;
}

/** Runs the demo; resolves with the process exit code once everything it started is gone. */
export async function runDemo(options: DemoOptions, deps: DemoDependencies): Promise<number> {
  const { note, out, stop } = deps;
  // A function, so that each check reads the signal afresh.
  const aborted = (): boolean => stop.aborted;
  const cleanup = createCleanupStack();
  const work = mkdtempSync(join(tmpdir(), 'purelb-demo-'));
  cleanup.defer('temporary directory', () => {
    rmSync(work, { recursive: true, force: true });
  });
  let code = 0;
  try {
    note('Starting kube-apiserver + etcd (the first run builds them)…');
    const cp = await deps.startControlPlane();
    cleanup.defer('control plane', () => cp.stop());
    if (aborted()) return 130;
    note(`Control plane ready at ${cp.server}.`);

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(cp.kubeconfigPath);
    const rest = await createKubeClient(kubeConfig, { maxSockets: 8 });
    cleanup.defer('API connections', () => {
      rest.close();
    });
    await installPureLB(rest, INSTALL_NAMESPACE);
    await ensureNamespace(rest, SERVICE_NAMESPACE);
    const groups = sampleServiceGroups(INSTALL_NAMESPACE);
    const names = groups.map((g) => g.metadata.name).join(', ');
    note(
      `Applied deploy/namespace, deploy/base (no kubelet here: its pods do not run) and the example ServiceGroups ${names}.`,
    );
    if (aborted()) return 130;

    // As root (and where network namespaces can be made), the node lab and the routing lab first: they
    // bring their own allocator, so the demo's allocator starts only after they are gone.
    const support = labSupport();
    if (support.ok) {
      const labOk = await runLabDemo({
        kubeconfigPath: cp.kubeconfigPath,
        failover: options.failover,
        out,
        note,
        logDir: work,
      });
      if (!labOk) {
        note(`Not every address was announced and reached; the logs are in ${work}.`);
        code = 1;
      }
      out('\nThe labs are gone. Now the allocator alone, with the sample Services:\n');
    } else {
      note(`Skipping the node lab: ${support.error.message}. Allocator only.`);
    }
    if (aborted()) return 130;

    const logFile = join(work, 'allocator.log');
    const allocator = startAllocatorProcess({
      kubeconfigPath: cp.kubeconfigPath,
      namespace: INSTALL_NAMESPACE,
      logFile,
    });
    let stopping = false;
    cleanup.defer('allocator', async () => {
      stopping = true;
      await allocator.stop('SIGTERM', 5_000);
    });
    void allocator.exited.then((how) => {
      if (!stopping && !aborted())
        note(`The allocator exited unexpectedly (${how.signal ?? `code ${String(how.code)}`}); its log is ${logFile}.`);
    });
    const metricsPort = await allocator.port(30_000);
    note(`Allocator running (pid ${allocator.pid}), log ${logFile}.`);
    if (aborted()) return 130;

    const services = sampleServices(SERVICE_NAMESPACE);
    await createServices(rest, services);
    note(`Created ${services.length} Services in namespace ${SERVICE_NAMESPACE}; waiting for the allocator…`);
    const result = await waitForAllocation({
      kubeConfig,
      rest,
      namespace: SERVICE_NAMESPACE,
      names: services.map((s) => s.metadata.name),
      timeoutMs: options.waitMs,
      onProgress: (settled, total) => {
        note(`  ${settled}/${total} settled`);
      },
    });
    out(`\n${formatAllocationTable(result.rows)}\n\n`);
    if (!result.complete) {
      note(`Not every Service settled within ${options.waitMs / 1000} s; see ${logFile}.`);
      code = 1;
    }

    const credentials = writeClientCredentials(kubeConfig, work);
    out(
      formatAccessInstructions({
        kubeconfigPath: cp.kubeconfigPath,
        server: cp.server,
        installNamespace: INSTALL_NAMESPACE,
        serviceNamespace: SERVICE_NAMESPACE,
        metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
        kubectl: detectKubectl(process.env['PATH']),
        credentials,
        staysUp: !options.once,
      }),
    );
    if (!options.once && !aborted()) {
      await new Promise<void>((resolve) => {
        stop.addEventListener('abort', () => {
          resolve();
        });
      });
    }
    return code;
  } catch (error) {
    note(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    note('Stopping…');
    const failures = await cleanup.run();
    for (const f of failures) note(`  could not stop ${f.label}: ${String(f.error)}`);
    note(failures.length === 0 ? 'Stopped; temporary files removed.' : 'Stopped, with the problems above.');
  }
}
