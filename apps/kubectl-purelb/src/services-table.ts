// `kubectl purelb services`: each Service PureLB handles, its addresses, group, the node announcing
// each local address, and the reasons of its `purelb.io/Allocated` and `purelb.io/Announced`
// conditions.
import type { ServiceView } from './service-view.ts';

export interface ServiceFilterOptions {
  /** Only Services of this namespace (undefined: all). */
  readonly namespace: string | undefined;
  /** Only Services whose Allocated condition is not True (or absent). */
  readonly pendingOnly: boolean;
}

/** Whether the allocator has given the Service everything it asks for. */
export function isPending(view: ServiceView): boolean {
  return view.allocated?.status !== 'True';
}

export function selectServices(views: readonly ServiceView[], options: ServiceFilterOptions): ServiceView[] {
  return views
    .filter((v) => v.handled)
    .filter((v) => options.namespace === undefined || v.namespace === options.namespace)
    .filter((v) => !options.pendingOnly || isPending(v))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function announcingCell(view: ServiceView): string {
  const parts = view.addresses.flatMap((a) => {
    const who = view.announcing[a.family];
    return who === undefined ? [] : [who.interface === undefined ? who.node : `${who.node}/${who.interface}`];
  });
  return parts.length === 0 ? '-' : parts.join(', ');
}

function reasonCell(c: ServiceView['allocated']): string {
  if (c === undefined) return '-';
  return c.status === 'True' ? c.reason : `${c.reason} (${c.status})`;
}

/** The longest message shown in `-o wide`; `explain` shows it whole. */
const MAX_MESSAGE = 100;

function messageCell(view: ServiceView): string {
  const c = view.allocated?.status === 'True' ? view.announced : view.allocated;
  const text = c?.message ?? '';
  if (text === '') return '-';
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

export const SERVICES_HEADER = ['SERVICE', 'ADDRESSES', 'GROUP', 'ANNOUNCING', 'ALLOCATED', 'ANNOUNCED'] as const;

export function serviceTableRows(views: readonly ServiceView[], options: { readonly wide: boolean }): string[][] {
  return views.map((v) => {
    const row = [
      v.key,
      v.addresses.length === 0 ? '-' : v.addresses.map((a) => a.address).join(', '),
      v.allocatedFrom ?? '-',
      announcingCell(v),
      v.allocated === undefined && v.handled ? 'pending' : reasonCell(v.allocated),
      reasonCell(v.announced),
    ];
    return options.wide ? [...row, messageCell(v)] : row;
  });
}
