import { describe, expect, it } from 'vitest';
import { parseRoutingConfig, ROUTING_CONFIG_KEY } from './parse-routing-config.ts';
import { formatProblem } from './routing-config.ts';

const parse = (yaml: string): ReturnType<typeof parseRoutingConfig> =>
  parseRoutingConfig({ [ROUTING_CONFIG_KEY]: yaml });
const problems = (yaml: string): string[] => {
  const r = parse(yaml);
  return r.ok ? [] : r.errors.map((e) => `${e.code} ${formatProblem(e)}`);
};

describe('parseRoutingConfig', () => {
  it('reads a full input and fills the defaults', () => {
    const r = parse(`
localASN: 64512
routerID: interface:eth0
interface: kube-lb0
communities: ["64512:100", "64512:1:2"]
timers: { hold: 3, keepalive: 1, connectRetry: 1, connectDelay: 1, errorWait: 1, errorWaitMax: 2 }
peers:
  - address: 192.0.2.1
    asn: 64500
  - address: "2001:DB8:1:0::1"
    asn: 4294967295
    families: [IPv6, ipv4]
    password: s3cret
    port: 1179
    multihop: 2
`);
    expect(r).toEqual({
      ok: true,
      value: {
        localAsn: 64512,
        routerId: { kind: 'interface', name: 'eth0' },
        interface: 'kube-lb0',
        communities: [
          { kind: 'standard', asn: 64512, value: 100 },
          { kind: 'large', global: 64512, local1: 1, local2: 2 },
        ],
        peers: [
          { address: '192.0.2.1', sessionFamily: 'ipv4', asn: 64500, families: ['ipv4'], port: 179 },
          {
            address: '2001:db8:1::1',
            sessionFamily: 'ipv6',
            asn: 4294967295,
            families: ['ipv6', 'ipv4'],
            port: 1179,
            password: 's3cret',
            multihop: 2,
          },
        ],
        timers: {
          holdSeconds: 3,
          keepaliveSeconds: 1,
          connectRetrySeconds: 1,
          connectDelaySeconds: 1,
          errorWaitSeconds: 1,
          errorWaitMaxSeconds: 2,
        },
      },
    });
  });

  it('defaults: router ID from the host IP, kube-lb0, no communities, BIRD timers', () => {
    const r = parse('localASN: 64512\npeers: [{ address: 192.0.2.1, asn: 64500 }]\n');
    expect(r.ok && r.value).toMatchObject({
      routerId: { kind: 'host-ip' },
      interface: 'kube-lb0',
      communities: [],
      timers: {
        holdSeconds: 240,
        keepaliveSeconds: 80,
        connectRetrySeconds: 120,
        connectDelaySeconds: 5,
        errorWaitSeconds: 60,
        errorWaitMaxSeconds: 300,
      },
    });
  });

  it.each([
    [
      'ASN out of range',
      'localASN: 64512\npeers: [{ address: 192.0.2.1, asn: 64500 }, { address: 192.0.2.2, asn: 4294967296 }]',
      ['OutOfRange peers[1].asn: 4294967296 is out of range 1..4294967295'],
    ],
    [
      'local ASN zero',
      'localASN: 0\npeers: [{ address: 192.0.2.1, asn: 1 }]',
      ['OutOfRange localASN: 0 is out of range 1..4294967295'],
    ],
    [
      'ASN as text',
      'localASN: "64512"\npeers: [{ address: 192.0.2.1, asn: 1 }]',
      ['WrongType localASN: "64512" is not an integer'],
    ],
    [
      'unknown family',
      'localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2, families: [ipv4, ipx] }]',
      ['UnknownFamily peers[0].families[1]: "ipx" is not a known address family (ipv4, ipv6)'],
    ],
    [
      'ipv6 routes over an IPv4 session',
      'localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2, families: [ipv6] }]',
      ['UnsupportedFamily peers[0].families[0]: ipv6 routes need an IPv6 next hop: peer over an IPv6 address for them'],
    ],
    [
      'not an address',
      'localASN: 1\npeers: [{ address: 192.0.2.300, asn: 2 }]',
      ['InvalidAddress peers[0].address: "192.0.2.300" is neither an IPv4 nor an IPv6 address'],
    ],
    [
      'missing fields',
      'peers: [{ port: 179 }]',
      [
        "MissingField localASN: this cluster's AS number is required",
        'MissingField peers[0].address: the peer address is required',
        "MissingField peers[0].asn: the peer's AS number is required",
      ],
    ],
    ['no peers', 'localASN: 1', ['MissingField peers: at least one peer is required']],
    ['empty peers', 'localASN: 1\npeers: []', ['WrongType peers: must be a non-empty list of peers']],
    [
      'misspelt field',
      'localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2, pasword: x }]',
      [
        'UnknownField peers[0].pasword: unknown field; expected one of address, asn, families, password, port, multihop',
      ],
    ],
    [
      'duplicate peer',
      'localASN: 1\npeers: [{ address: "2001:db8::1", asn: 2 }, { address: "2001:db8:0::1", asn: 3 }]',
      ['DuplicatePeer peers[1].address: 2001:db8::1 port 179 is already peers[0]'],
    ],
    [
      'bad community',
      'localASN: 1\ncommunities: ["65536:1", "1:2:3:4"]\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      [
        'InvalidCommunity communities[0]: "65536:1" is not a community: ASN:VALUE (each 0..65535) or GLOBAL:LOCAL1:LOCAL2 (each 0..4294967295)',
        'InvalidCommunity communities[1]: "1:2:3:4" is not a community: ASN:VALUE (each 0..65535) or GLOBAL:LOCAL1:LOCAL2 (each 0..4294967295)',
      ],
    ],
    [
      'bad router ID source',
      'localASN: 1\nrouterID: 10.0.0.1\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      ['InvalidRouterId routerID: "10.0.0.1" is not a router ID source; use hostIP or interface:NAME'],
    ],
    [
      'bad interface',
      'localASN: 1\ninterface: "a/b"\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      ['InvalidInterface interface: "a/b" is not an interface name (1..15 letters, digits, _ . : @ -)'],
    ],
    [
      'keepalive not below hold',
      'localASN: 1\ntimers: { hold: 3, keepalive: 3 }\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      ['OutOfRange timers.keepalive: 3 must be below the hold time (3)'],
    ],
    [
      'hold of 1 s',
      'localASN: 1\ntimers: { hold: 1, keepalive: 1 }\npeers: [{ address: 192.0.2.1, asn: 2 }]',
      [
        'OutOfRange timers.hold: 1 is out of range: 0 or 3..65535',
        'OutOfRange timers.keepalive: 1 must be below the hold time (1)',
      ],
    ],
    [
      'password with a quote',
      "localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2, password: 'a\"b' }]",
      ['WrongType peers[0].password: must be non-empty and hold no double quote or backslash'],
    ],
    [
      'port out of range',
      'localASN: 1\npeers: [{ address: 192.0.2.1, asn: 2, port: 0 }]',
      ['OutOfRange peers[0].port: 0 is out of range 1..65535'],
    ],
    ['not a mapping', '- 1\n- 2', ['WrongType data.routing.yaml: must be a mapping with localASN and peers']],
  ])('%s', (_name, yaml, expected) => {
    expect(problems(yaml)).toEqual(expected);
  });

  it('reports YAML syntax errors with their line', () => {
    const r = parse('localASN: 1\npeers: [ { address: 192.0.2.1\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.code).toBe('InvalidYaml');
    expect(r.errors[0]?.message).toMatch(/^is not valid YAML \(line \d+, column \d+\): /);
  });

  it('reports a ConfigMap without the key', () => {
    expect(parseRoutingConfig({ other: 'x' })).toEqual({
      ok: false,
      errors: [
        { code: 'MissingKey', path: 'data.routing.yaml', message: 'the ConfigMap has no routing input under this key' },
      ],
    });
    expect(parseRoutingConfig(undefined).ok).toBe(false);
  });
});
