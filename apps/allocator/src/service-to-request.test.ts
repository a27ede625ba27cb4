import type { ServiceObject } from './kube-objects.ts';
import { describe, expect, it } from 'vitest';
import { ingressAddresses, parseAddressList, serviceToExisting, serviceToRequest } from './service-to-request.ts';
import type { ServiceIntent } from './service-to-request.ts';

function svc(
  over: {
    annotations?: Record<string, string>;
    spec?: Partial<NonNullable<ServiceObject['spec']>>;
    ingress?: string[];
  } = {},
): ServiceObject {
  return {
    metadata: {
      namespace: 'ns',
      name: 'web',
      ...(over.annotations === undefined ? {} : { annotations: over.annotations }),
    },
    spec: {
      type: 'LoadBalancer',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ port: 80, protocol: 'TCP' }],
      ...over.spec,
    },
    ...(over.ingress === undefined
      ? {}
      : { status: { loadBalancer: { ingress: over.ingress.map((ip) => ({ ip })) } } }),
  };
}

const ours = { defaultClass: true };

function request(intent: ServiceIntent) {
  if (intent.kind !== 'allocate') throw new Error(`expected allocate, got ${JSON.stringify(intent)}`);
  return intent;
}

describe('serviceToRequest', () => {
  it('translates a plain LoadBalancer Service', () => {
    expect(serviceToRequest(svc(), ours)).toEqual({
      kind: 'allocate',
      request: {
        key: 'ns/web',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [{ protocol: 'TCP', port: 80 }],
      },
      familyOrder: ['IPv4', 'IPv6'],
      deprecatedLoadBalancerIP: undefined,
    });
  });

  it.each<[string, Partial<NonNullable<ServiceObject['spec']>>, boolean, ServiceIntent['kind']]>([
    ['ClusterIP', { type: 'ClusterIP' }, true, 'ignore'],
    ['NodePort', { type: 'NodePort' }, true, 'ignore'],
    ['our class', { loadBalancerClass: 'purelb.io/purelb' }, false, 'allocate'],
    ['another class', { loadBalancerClass: 'example.com/other' }, true, 'ignore'],
    ['no class, default class on', {}, true, 'allocate'],
    ['no class, default class off', {}, false, 'ignore'],
  ])('class filter: %s', (_name, spec, defaultClass, kind) => {
    expect(serviceToRequest(svc({ spec }), { defaultClass }).kind).toBe(kind);
  });

  it('reads group, sharing key, ports of every protocol and both families in order', () => {
    const intent = request(
      serviceToRequest(
        svc({
          annotations: { 'purelb.io/service-group': ' web ', 'purelb.io/allow-shared-ip': 'dns' },
          spec: {
            ipFamilies: ['IPv6', 'IPv4'],
            ipFamilyPolicy: 'RequireDualStack',
            ports: [
              { port: 53, protocol: 'UDP' },
              { port: 53, protocol: 'TCP' },
              { port: 9000, protocol: 'SCTP' },
              { port: 8080 },
            ],
          },
        }),
        ours,
      ),
    );
    expect(intent.request).toEqual({
      key: 'ns/web',
      group: 'web',
      sharingKey: 'dns',
      ipFamilies: ['IPv6', 'IPv4'],
      ipFamilyPolicy: 'RequireDualStack',
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
        { protocol: 'SCTP', port: 9000 },
        { protocol: 'TCP', port: 8080 },
      ],
    });
    expect(intent.familyOrder).toEqual(['IPv6', 'IPv4']);
  });

  it('reads purelb.io/addresses with whitespace, canonicalising each address', () => {
    const intent = request(
      serviceToRequest(svc({ annotations: { 'purelb.io/addresses': ' 192.0.2.7 ,  2001:DB8:0:0::7 ' } }), ours),
    );
    expect(intent.request.requestedAddresses).toEqual(['192.0.2.7', '2001:db8::7']);
    expect(intent.deprecatedLoadBalancerIP).toBeUndefined();
  });

  it('honours spec.loadBalancerIP and says it is deprecated; the annotation wins over it', () => {
    const viaField = request(serviceToRequest(svc({ spec: { loadBalancerIP: '192.0.2.9' } }), ours));
    expect(viaField.request.requestedAddresses).toEqual(['192.0.2.9']);
    expect(viaField.deprecatedLoadBalancerIP).toBe('192.0.2.9');
    const both = request(
      serviceToRequest(
        svc({ annotations: { 'purelb.io/addresses': '192.0.2.8' }, spec: { loadBalancerIP: '192.0.2.9' } }),
        ours,
      ),
    );
    expect(both.request.requestedAddresses).toEqual(['192.0.2.8']);
    expect(both.deprecatedLoadBalancerIP).toBeUndefined();
  });

  it.each([
    ['not-an-ip', '"not-an-ip" is not an IP address'],
    ['192.0.2.1,192.0.2.2', 'two IPv4 addresses'],
    ['192.0.2.1,', 'entry 2 is empty'],
    ['192.0.2.1,2001:db8::1,192.0.2.3', 'at most one address per family'],
    ['192.0.2.256', '"192.0.2.256" is not an IP address'],
  ])('malformed purelb.io/addresses %j → InvalidAnnotation', (value, fragment) => {
    const intent = serviceToRequest(svc({ annotations: { 'purelb.io/addresses': value } }), ours);
    expect(intent.kind).toBe('invalid');
    if (intent.kind === 'invalid') {
      expect(intent.reason).toBe('InvalidAnnotation');
      expect(intent.message).toContain('purelb.io/addresses');
      expect(intent.message).toContain(fragment);
    }
  });

  // A prefix and the whole's length, never the value itself (it was copied twice into the condition).
  it.each([
    ['a 100 KB value', '9'.repeat(102_400), `"${'9'.repeat(76)}…" (102,400 characters) is not an IP address`],
    [
      '1,000 comma-separated addresses',
      Array.from({ length: 1000 }, (_, i) => `192.0.2.${i % 256}`).join(','),
      'at most one address per family (two in all), got 1000: "192.0.2.0,192.0.2.1,',
    ],
  ])('purelb.io/addresses with %s → a bounded InvalidAnnotation message', (_, value, fragment) => {
    const intent = serviceToRequest(svc({ annotations: { 'purelb.io/addresses': value } }), ours);
    expect(intent).toMatchObject({ kind: 'invalid', reason: 'InvalidAnnotation' });
    const message = intent.kind === 'invalid' ? intent.message : '';
    expect(message).toContain(fragment);
    expect(message).toContain(`(${value.length.toLocaleString('en-US')} characters)`);
    expect(message.length).toBeLessThan(200);
  });

  it('treats empty annotations as absent and survives a Service with no spec at all', () => {
    const intent = request(
      serviceToRequest(svc({ annotations: { 'purelb.io/addresses': '  ', 'purelb.io/service-group': '' } }), ours),
    );
    expect(intent.request.requestedAddresses).toBeUndefined();
    expect(intent.request.group).toBeUndefined();
    expect(serviceToRequest({ metadata: { name: 'x', namespace: 'y' } }, ours)).toEqual({
      kind: 'ignore',
      why: 'not-load-balancer',
    });
  });

  it('skips unknown families and bad ports', () => {
    const intent = request(
      serviceToRequest(
        svc({
          spec: {
            ipFamilies: ['IPv9', 'IPv4', 'IPv4'],
            ipFamilyPolicy: 'Bogus',
            ports: [{ port: 0 }, { port: 70000 }],
          },
        }),
        ours,
      ),
    );
    expect(intent.request).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [] });
  });
});

describe('serviceToExisting', () => {
  it('reads the ingress addresses, group annotation, sharing key and ports', () => {
    const service = svc({
      annotations: { 'purelb.io/allocated-from': 'web', 'purelb.io/allow-shared-ip': 'k' },
      ingress: ['192.0.2.10', '2001:db8::10'],
    });
    expect(serviceToExisting(service)).toEqual({
      key: 'ns/web',
      group: 'web',
      sharingKey: 'k',
      addresses: ['192.0.2.10', '2001:db8::10'],
      ports: [{ protocol: 'TCP', port: 80 }],
    });
  });

  it('is undefined for a Service without addresses, and hostname entries are skipped', () => {
    expect(serviceToExisting(svc())).toBeUndefined();
    const withHostname: ServiceObject = {
      ...svc(),
      status: { loadBalancer: { ingress: [{ hostname: 'lb.example' }, { ip: '192.0.2.1' }] } },
    };
    expect(ingressAddresses(withHostname)).toEqual(['192.0.2.1']);
  });
});

describe('parseAddressList', () => {
  it('names where the bad value came from', () => {
    const r = parseAddressList('x', 'spec.loadBalancerIP');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('spec.loadBalancerIP: "x" is not an IP address');
  });
});
