// PromQL as Prometheus's own grammar reads it (@prometheus-io/lezer-promql): whether an expression
// parses, and the metric names it selects.
import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlFacts {
  /** Where the grammar found no way on, as `offset: text`; empty when the expression parses. */
  readonly errors: readonly string[];
  /** The metric names of its vector selectors, in order, each once. */
  readonly metrics: readonly string[];
}

/** Grafana's variables in an expression, replaced by values of the same kind before parsing. */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  $__rate_interval: '5m',
  $__interval: '1m',
  $__range: '1h',
};

export function grafanaToPromql(expr: string): string {
  let out = expr;
  for (const [name, value] of Object.entries(GRAFANA_VARIABLES)) out = out.split(name).join(value);
  return out;
}

export function promqlFacts(expr: string): PromqlFacts {
  const errors: string[] = [];
  const metrics: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError)
      errors.push(`${cursor.from}: ${JSON.stringify(expr.slice(cursor.from, cursor.from + 20))}`);
    if (cursor.name === 'Identifier' && cursor.node.parent?.name === 'VectorSelector') {
      const name = expr.slice(cursor.from, cursor.to);
      if (!metrics.includes(name)) metrics.push(name);
    }
  } while (cursor.next());
  return { errors, metrics };
}
