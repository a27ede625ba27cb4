import { describe, expect, it } from 'vitest';
import { formatMicroTime, leaseRecordOf } from './lease-client.ts';

describe('formatMicroTime', () => {
  it('writes RFC 3339 with six fractional digits', () => {
    expect(formatMicroTime(new Date(Date.UTC(2026, 4, 6, 7, 8, 9, 12)))).toBe('2026-05-06T07:08:09.012000Z');
  });
});

describe('leaseRecordOf', () => {
  it('reads the fields of a Lease', () => {
    expect(
      leaseRecordOf({
        metadata: { name: 'l', resourceVersion: '12', annotations: { 'purelb.io/subnets': '192.0.2.0/24' } },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 3, acquireTime: 't1', renewTime: 't2', leaseTransitions: 4 },
      }),
    ).toEqual({
      resourceVersion: '12',
      holderIdentity: 'a',
      leaseDurationSeconds: 3,
      acquireTime: 't1',
      renewTime: 't2',
      leaseTransitions: 4,
      annotations: { 'purelb.io/subnets': '192.0.2.0/24' },
    });
  });

  it('treats an empty holder as none and ignores fields of the wrong type', () => {
    expect(
      leaseRecordOf({ metadata: { resourceVersion: '1' }, spec: { holderIdentity: '', leaseDurationSeconds: '3' } }),
    ).toEqual({
      resourceVersion: '1',
      holderIdentity: undefined,
      leaseDurationSeconds: undefined,
      acquireTime: undefined,
      renewTime: undefined,
      leaseTransitions: undefined,
    });
  });

  it.each([[null], ['lease'], [{}], [{ metadata: { resourceVersion: 5 } }]])('rejects %o', (value) => {
    expect(leaseRecordOf(value)).toBeUndefined();
  });
});
