// `--default-class=false`: Services without spec.loadBalancerClass belong to someone else.
import { describe, expect, it } from 'vitest';
import { useAllocatorScene } from './testing/allocator-scene.ts';
import { allocatedCondition, ingressIps } from './testing/fixtures.ts';

const annotations = { 'purelb.io/service-group': 'classy' };
const t = useAllocatorScene({
  name: 'class',
  groups: { classy: { v4pools: [{ pool: '192.0.2.64/28', subnet: '192.0.2.0/24' }] } },
  allocator: { extraArgs: ['--default-class=false'], stopSignal: 'SIGINT' },
});

describe('--default-class=false', () => {
  it('leaves Services without a class alone and allocates those that name purelb.io/purelb', async () => {
    await t.createService('unclassed', { annotations });
    await t.createService('classed', { annotations, loadBalancerClass: 'purelb.io/purelb' });
    expect(ingressIps(await t.waitForAllocated('classed'))).toEqual(['192.0.2.64']);
    const unclassed = await t.getService('unclassed');
    expect(ingressIps(unclassed)).toEqual([]);
    expect(allocatedCondition(unclassed)).toBeUndefined();
    expect(await t.listEvents('unclassed')).toEqual([]);
    expect(t.allocator.logs.some((l) => l.event === 'started' && l.defaultClass === false)).toBe(true);
  });
});
