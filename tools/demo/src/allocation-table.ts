// What a Service got from the allocator, as one table row, and the table the demo prints.
import type { ServiceView } from './service-shapes.ts';

export const ALLOCATED_CONDITION = 'purelb.io/Allocated';
export const ALLOCATED_FROM_ANNOTATION = 'purelb.io/allocated-from';

export interface AllocationCondition {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
}

export interface AllocationRow {
  /** `namespace/name`. */
  readonly service: string;
  /** `status.loadBalancer.ingress[].ip`, in the order written. */
  readonly addresses: readonly string[];
  /** The `purelb.io/allocated-from` annotation, when present. */
  readonly group: string | undefined;
  /** The `purelb.io/Allocated` condition, when present. */
  readonly condition: AllocationCondition | undefined;
}

const conditionStatus = (s: string): AllocationCondition['status'] => (s === 'True' || s === 'False' ? s : 'Unknown');

/** Reads the allocation outcome of one Service. */
export function allocationRow(service: ServiceView): AllocationRow {
  const namespace = service.metadata?.namespace ?? '';
  const name = service.metadata?.name ?? '';
  const addresses = (service.status?.loadBalancer?.ingress ?? [])
    .map((i) => i.ip ?? i.hostname ?? '')
    .filter((a) => a !== '');
  const found = service.status?.conditions?.find((c) => c.type === ALLOCATED_CONDITION);
  return {
    service: `${namespace}/${name}`,
    addresses,
    group: service.metadata?.annotations?.[ALLOCATED_FROM_ANNOTATION],
    condition:
      found === undefined
        ? undefined
        : { status: conditionStatus(found.status), reason: found.reason ?? '', message: found.message ?? '' },
  };
}

/**
 * Whether the allocator has finished with the Service: it reported an outcome, and a successful
 * outcome comes with addresses and the group annotation (written by a separate patch).
 */
export function isSettled(row: AllocationRow): boolean {
  if (row.condition === undefined) return false;
  switch (row.condition.status) {
    case 'True':
      return row.addresses.length > 0 && row.group !== undefined;
    case 'False':
      return true;
    case 'Unknown':
      return false;
  }
}

function conditionCell(c: AllocationCondition | undefined): string {
  if (c === undefined) return 'pending';
  const head = `${c.reason === '' ? '?' : c.reason} (${c.status})`;
  return c.status === 'True' || c.message === '' ? head : `${head}: ${c.message}`;
}

/** Formats rows as an aligned text table with a header; `-` marks what is not there. */
export function formatAllocationTable(rows: readonly AllocationRow[]): string {
  const header = ['SERVICE', 'ADDRESSES', 'GROUP', 'CONDITION'] as const;
  const cells = rows.map((r) => [
    r.service,
    r.addresses.length === 0 ? '-' : r.addresses.join(', '),
    r.group ?? '-',
    conditionCell(r.condition),
  ]);
  const all = [[...header], ...cells];
  const widths = header.map((_, col) => Math.max(...all.map((line) => (line[col] ?? '').length)));
  return all
    .map((line) =>
      line
        .map((cell, col) => (col === line.length - 1 ? cell : cell.padEnd(widths[col] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
