// The metric names the daemons export: each daemon's registry as its main builds it (process metrics
// included), with the series names Prometheus derives from histograms and summaries.
import { createMetrics as allocatorMetrics } from '@purelb/allocator/testing';
import { createMetrics as agentMetrics } from '@purelb/lbnodeagent';

/** Recorded by Prometheus itself for every scrape target. */
export const PROMETHEUS_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'] as const;

type Registry = ReturnType<typeof allocatorMetrics>['registry'];

async function namesOf(registry: Registry): Promise<string[]> {
  return (await registry.getMetricsAsJSON()).flatMap((m) => {
    const type = String(m.type);
    if (type === 'histogram') return [m.name, `${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`];
    if (type === 'summary') return [m.name, `${m.name}_sum`, `${m.name}_count`];
    return [m.name];
  });
}

/** Every name, by the daemon that exports it. */
export async function exportedMetrics(): Promise<{
  readonly allocator: readonly string[];
  readonly lbnodeagent: readonly string[];
}> {
  const build = { version: '0.0.0', node: 'checker' };
  return {
    allocator: await namesOf(allocatorMetrics({ build }).registry),
    lbnodeagent: await namesOf(agentMetrics({ version: build.version, node: build.node }).registry),
  };
}
