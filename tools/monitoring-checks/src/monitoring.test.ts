// deploy/monitoring as Prometheus and Grafana would take it: every expression parses as PromQL (with
// Prometheus's own grammar) and selects only metrics the daemons export (or `up`, which Prometheus
// records); the alerts an operator needs are there, each with a severity, a summary and a description.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportedMetrics, PROMETHEUS_SERIES } from './exported-metrics.ts';
import { grafanaToPromql, promqlFacts } from './promql.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'deploy', 'monitoring');

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr?: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
interface RuleFile {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly spec?: { readonly groups?: readonly { readonly name?: string; readonly rules?: readonly Rule[] }[] };
}
interface Panel {
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets?: readonly { readonly expr: string }[];
}

const rules = parse(readFileSync(join(dir, 'prometheus-rules.yaml'), 'utf8')) as RuleFile;
const allRules = (rules.spec?.groups ?? []).flatMap((g) => g.rules ?? []);
const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-dashboard.json'), 'utf8')) as {
  uid: string;
  title: string;
  panels: readonly Panel[];
};
const exprs = [
  ...allRules.map((r) => ({ where: `rule ${r.alert ?? r.record ?? '?'}`, expr: r.expr ?? '' })),
  ...dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: grafanaToPromql(t.expr) })),
  ),
];
let known = new Set<string>();
let byDaemon: Awaited<ReturnType<typeof exportedMetrics>>;

beforeAll(async () => {
  byDaemon = await exportedMetrics();
  known = new Set([...byDaemon.allocator, ...byDaemon.lbnodeagent, ...PROMETHEUS_SERIES]);
});

describe('the checker', () => {
  it('finds syntax errors and metric names', () => {
    expect(promqlFacts('sum(rate(x_total[5m]) by (a)').errors).not.toEqual([]);
    expect(promqlFacts('sum by (a) (rate(x_total{b="c"}[5m])) / on (a) y').metrics).toEqual(['x_total', 'y']);
    expect(promqlFacts('histogram_quantile(0.9, sum by (le) (rate(h_bucket[$__rate_interval])))').errors).not.toEqual(
      [],
    );
    expect(promqlFacts(grafanaToPromql('rate(h_bucket[$__rate_interval])')).errors).toEqual([]);
  });

  it("reads the daemons' registries", () => {
    expect(byDaemon.allocator).toEqual(
      expect.arrayContaining([
        'purelb_allocator_services_pending',
        'purelb_build_info',
        'process_resident_memory_bytes',
      ]),
    );
    expect(byDaemon.lbnodeagent).toEqual(
      expect.arrayContaining([
        'purelb_lbnodeagent_live_members',
        'purelb_lbnodeagent_reconcile_duration_seconds_bucket',
      ]),
    );
  });
});

describe('deploy/monitoring', () => {
  it('has an expression in every rule and every dashboard target', () => {
    expect(allRules.length).toBeGreaterThan(0);
    expect(exprs.filter((e) => e.expr.trim() === '').map((e) => e.where)).toEqual([]);
  });

  it('parses every expression as PromQL', () => {
    expect(exprs.flatMap((e) => promqlFacts(e.expr).errors.map((err) => `${e.where}: ${err}`))).toEqual([]);
  });

  it('selects only metrics the daemons export', () => {
    const unknown = exprs.flatMap((e) =>
      promqlFacts(e.expr)
        .metrics.filter((m) => !known.has(m))
        .map((m) => `${e.where}: ${m}`),
    );
    expect(unknown).toEqual([]);
  });

  it('is a PrometheusRule with the alerts an operator needs, each with a severity, a summary, a description', () => {
    expect({ apiVersion: rules.apiVersion, kind: rules.kind }).toEqual({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
    });
    const names = allRules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'PureLBPoolNearlyExhausted',
        'PureLBServicesPending',
        'PureLBAllocatorNoLeader',
        'PureLBNodeAgentDown',
      ]),
    );
    for (const r of allRules) {
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description, r.alert).toBeTruthy();
    }
  });

  it('alerts on pending Services from the gauge, not from the counter of transitions', () => {
    const pending = allRules.find((r) => r.alert === 'PureLBServicesPending');
    expect(promqlFacts(pending?.expr ?? '').metrics).toEqual(['purelb_allocator_services_pending']);
  });

  it('is a Grafana dashboard whose panels do not overlap, on a data source variable', () => {
    expect(dashboard.uid).toBe('purelb');
    const cells = new Map<string, string>();
    const overlaps: string[] = [];
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const other = cells.get(`${x},${y}`);
          if (other !== undefined && !overlaps.includes(`${other} / ${p.title}`))
            overlaps.push(`${other} / ${p.title}`);
          cells.set(`${x},${y}`, p.title);
        }
      }
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
    expect(overlaps).toEqual([]);
    const text = JSON.stringify(dashboard);
    expect(text).toContain('"uid":"${datasource}"');
    expect(text).not.toMatch(/"uid":"(?!\$\{datasource\}|purelb")/);
  });
});
