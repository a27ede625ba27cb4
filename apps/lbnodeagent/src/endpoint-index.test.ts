import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEndpointIndex } from './endpoint-index.ts';
import type { EndpointSliceObject } from './kube-objects.ts';
import { endpointNodes } from './objects-to-domain.ts';
import type { EndpointNodes } from './objects-to-domain.ts';

const slice = (
  service: string | undefined,
  endpoints: { nodeName?: string; ready?: boolean | null; serving?: boolean | null }[],
): EndpointSliceObject => ({
  metadata: {
    name: 'x',
    namespace: 'shop',
    ...(service === undefined ? {} : { labels: { 'kubernetes.io/service-name': service } }),
  },
  endpoints: endpoints.map(({ nodeName, ready, serving }) => ({
    ...(nodeName === undefined ? {} : { nodeName }),
    conditions: { ...(ready === undefined ? {} : { ready }), ...(serving === undefined ? {} : { serving }) },
  })),
});

/** By Service key, each node list sorted: comparable whatever the order things were found in. */
const plain = (nodes: EndpointNodes): Record<string, string[]> =>
  Object.fromEntries([...nodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, [...v].sort()]));

describe('createEndpointIndex', () => {
  it('says whether a Service’s nodes changed: a Pod moving within the same nodes changes none', () => {
    const index = createEndpointIndex();
    const snapshot = new Map([['shop/web-1', slice('web', [{ nodeName: 'n1' }, { nodeName: 'n2' }])]]);
    expect(index.apply(snapshot, ['shop/web-1'])).toBe(true);
    expect(plain(index.nodes())).toEqual({ 'shop/web': ['n1', 'n2'] });

    snapshot.set('shop/web-1', slice('web', [{ nodeName: 'n2' }, { nodeName: 'n1' }, { nodeName: 'n1' }]));
    expect(index.apply(snapshot, ['shop/web-1'])).toBe(false);

    snapshot.set('shop/web-2', slice('web', [{ nodeName: 'n3', ready: false, serving: false }]));
    expect(index.apply(snapshot, ['shop/web-2'])).toBe(false);
    snapshot.set('shop/web-2', slice('web', [{ nodeName: 'n3', ready: false, serving: true }]));
    expect(index.apply(snapshot, ['shop/web-2'])).toBe(true);
    expect(plain(index.nodes())).toEqual({ 'shop/web': ['n1', 'n2', 'n3'] });

    snapshot.delete('shop/web-1');
    snapshot.delete('shop/web-2');
    expect(index.apply(snapshot, ['shop/web-1', 'shop/web-2'])).toBe(true);
    expect(plain(index.nodes())).toEqual({});
  });

  it('always equals endpointNodes of the whole snapshot, whatever the sequence of slice updates', () => {
    const endpointArb = fc.record(
      {
        nodeName: fc.constantFrom('n1', 'n2', 'n3', 'n4', ''),
        ready: fc.constantFrom(true, false, null),
        serving: fc.constantFrom(true, false, null),
      },
      { requiredKeys: [] },
    );
    const opArb = fc.record({
      key: fc.constantFrom('s1', 's2', 's3', 's4', 's5'),
      slice: fc.option(
        fc.record({
          service: fc.option(fc.constantFrom('a', 'b', 'c', ''), { nil: undefined }),
          endpoints: fc.array(endpointArb, { maxLength: 5 }),
        }),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const index = createEndpointIndex();
        const snapshot = new Map<string, EndpointSliceObject>();
        let before = plain(endpointNodes(snapshot.values()));
        for (const op of ops) {
          if (op.slice === undefined) snapshot.delete(op.key);
          else snapshot.set(op.key, slice(op.slice.service, op.slice.endpoints));
          const changed = index.apply(snapshot, [op.key]);
          const after = plain(endpointNodes(snapshot.values()));
          expect(plain(index.nodes())).toEqual(after);
          expect(changed).toBe(JSON.stringify(before) !== JSON.stringify(after));
          before = after;
        }
      }),
      { numRuns: 300 },
    );
  });
});
