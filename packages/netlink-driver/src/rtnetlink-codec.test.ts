import { describe, expect, it } from 'vitest';
import {
  AF_INET,
  AF_INET6,
  decodeAddress,
  decodeAttributes,
  decodeLink,
  decodeRoute,
  encodeAddressRequest,
  encodeAttributes,
  encodeLinkRequest,
  IFA_F,
  IFA_PROTO,
  IFF_UP,
  splitMessages,
} from './rtnetlink-codec.ts';

describe('rtnetlink codec', () => {
  it('pads attributes to four bytes and reads them back by type, ignoring the nested flag', () => {
    const encoded = encodeAttributes([
      { type: 3, data: Buffer.from('eth0\0') },
      { type: 18, data: Uint8Array.of(1, 2), nested: true },
    ]);
    expect(encoded.length).toBe(12 + 8);
    expect(encoded.readUInt16LE(12 + 2)).toBe(18 | 0x8000);
    const decoded = decodeAttributes(encoded);
    expect(decoded.get(3)?.toString()).toBe('eth0\0');
    expect([...(decoded.get(18) ?? [])]).toEqual([1, 2]);
  });

  it('stops at a malformed attribute instead of reading past the buffer', () => {
    const bad = Buffer.from([8, 0, 1, 0, 1, 2, 3, 4, 200, 0, 2, 0]);
    expect([...decodeAttributes(bad).keys()]).toEqual([1]);
  });

  it('encodes an IPv4 address with IFA_LOCAL, IFA_FLAGS and the IFA_PROTO mark', () => {
    const address = Buffer.from([192, 0, 2, 7]);
    const request = encodeAddressRequest({
      family: AF_INET,
      prefixLength: 24,
      index: 5,
      address,
      flags: IFA_F.NOPREFIXROUTE,
      protocol: 80,
      local: true,
    });
    expect([request.readUInt8(0), request.readUInt8(1), request.readUInt8(2), request.readUInt32LE(4)]).toEqual([
      AF_INET,
      24,
      0,
      5,
    ]);
    const attributes = decodeAttributes(request.subarray(8));
    expect(attributes.get(2)).toEqual(address);
    expect(attributes.get(1)).toEqual(address);
    expect(attributes.get(8)?.readUInt32LE(0)).toBe(IFA_F.NOPREFIXROUTE);
    expect(attributes.get(IFA_PROTO)?.readUInt8(0)).toBe(80);
  });

  it('decodes an address as the kernel sends it (IFA_ADDRESS only for IPv6, flags from IFA_FLAGS)', () => {
    const v6 = Buffer.from('20010db8000000000000000000000001', 'hex');
    const header = Buffer.from([AF_INET6, 64, IFA_F.NODAD, 0, 9, 0, 0, 0]);
    const body = encodeAttributes([
      { type: 1, data: v6 },
      { type: 8, data: Buffer.from([0x02, 0x02, 0, 0]) },
      { type: IFA_PROTO, data: Uint8Array.of(80) },
    ]);
    expect(decodeAddress(Buffer.concat([header, body]))).toEqual({
      family: AF_INET6,
      prefixLength: 64,
      scope: 0,
      index: 9,
      address: v6,
      flags: IFA_F.NODAD | IFA_F.NOPREFIXROUTE,
      protocol: 80,
      label: undefined,
    });
    expect(decodeAddress(header)).toBeUndefined();
  });

  it('encodes a link by name and kind, and decodes name, flags, state, kind and MAC', () => {
    const request = encodeLinkRequest({ name: 'kube-lb0', kind: 'dummy', flags: IFF_UP, change: IFF_UP });
    expect(request.readUInt32LE(8)).toBe(IFF_UP);
    const attributes = decodeAttributes(request.subarray(16));
    expect(attributes.get(3)?.toString()).toBe('kube-lb0\0');
    expect(
      decodeAttributes(attributes.get(18) ?? Buffer.alloc(0))
        .get(1)
        ?.toString(),
    ).toBe('dummy\0');

    const header = Buffer.alloc(16);
    header.writeInt32LE(4, 4);
    header.writeUInt32LE(IFF_UP, 8);
    const body = encodeAttributes([
      { type: 3, data: Buffer.from('kube-lb0\0') },
      { type: 1, data: Buffer.from([2, 0, 0, 0, 0, 1]) },
      { type: 16, data: Uint8Array.of(6) },
      { type: 18, data: encodeAttributes([{ type: 1, data: Buffer.from('dummy\0') }]), nested: true },
    ]);
    expect(decodeLink(Buffer.concat([header, body]))).toEqual({
      index: 4,
      name: 'kube-lb0',
      flags: IFF_UP,
      operState: 6,
      kind: 'dummy',
      mac: Buffer.from([2, 0, 0, 0, 0, 1]),
    });
  });

  it('decodes a route with its output interface, or every hop of a multipath route', () => {
    const header = Buffer.from([AF_INET, 0, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]);
    const hop = (index: number): Buffer => {
      const b = Buffer.alloc(8);
      b.writeUInt16LE(8, 0);
      b.writeInt32LE(index, 4);
      return b;
    };
    const body = encodeAttributes([
      { type: 9, data: Buffer.concat([hop(2), hop(3)]) },
      { type: 6, data: Buffer.from([100, 0, 0, 0]) },
      { type: 5, data: Buffer.from([192, 0, 2, 1]) },
    ]);
    expect(decodeRoute(Buffer.concat([header, body]))).toMatchObject({
      destinationLength: 0,
      table: 254,
      type: 1,
      priority: 100,
      outputs: [2, 3],
      hasDestination: false,
    });
  });

  it('splits a datagram into its messages, padded to four bytes, and ignores a malformed tail', () => {
    const message = (type: number, seq: number, payload: number[]): Buffer => {
      const header = Buffer.alloc(16);
      header.writeUInt32LE(16 + payload.length, 0);
      header.writeUInt16LE(type, 4);
      header.writeUInt16LE(2, 6);
      header.writeUInt32LE(seq, 8);
      const padding = Buffer.alloc((4 - (payload.length % 4)) % 4);
      return Buffer.concat([header, Buffer.from(payload), padding]);
    };
    const datagram = Buffer.concat([
      message(20, 7, [1, 2, 3]),
      message(3, 7, [0, 0, 0, 0]),
      Buffer.from([99, 0, 0, 0]),
    ]);
    expect(splitMessages(datagram).map((m) => [m.type, m.flags, m.seq, [...m.data]])).toEqual([
      [20, 2, 7, [1, 2, 3]],
      [3, 2, 7, [0, 0, 0, 0]],
    ]);
  });
});
