import { describe, expect, it } from 'vitest';
import { projectMetadata } from './project-metadata.ts';

const wire = {
  name: 'web',
  namespace: 'shop',
  uid: '7d0c2f4e-1111-2222-3333-444455556666',
  resourceVersion: '4711',
  generation: 3,
  creationTimestamp: '2026-11-30T10:00:00Z',
  labels: { app: 'web', 'kubernetes.io/service-name': 'web' },
  annotations: {
    'kubectl.kubernetes.io/last-applied-configuration': '{"a":"…"}',
    'purelb.io/allocated-by': 'PureLB',
  },
  managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
  ownerReferences: [{ kind: 'Service', name: 'web' }],
  finalizers: ['example.com/keep'],
};

describe('projectMetadata', () => {
  it('keeps name, namespace and version; drops uid, generation, age, managed fields, owners, finalizers, labels and annotations', () => {
    expect(projectMetadata(wire)).toEqual({ name: 'web', namespace: 'shop', resourceVersion: '4711' });
  });

  it('keeps uid, generation and age when they are named', () => {
    expect(projectMetadata(wire, { fields: ['uid', 'generation', 'creationTimestamp'] })).toEqual({
      name: 'web',
      namespace: 'shop',
      uid: '7d0c2f4e-1111-2222-3333-444455556666',
      resourceVersion: '4711',
      generation: 3,
      creationTimestamp: '2026-11-30T10:00:00Z',
    });
    expect(projectMetadata(wire, { fields: ['generation'] })).toEqual({
      name: 'web',
      namespace: 'shop',
      resourceVersion: '4711',
      generation: 3,
    });
  });

  it('keeps the named labels and annotations that are there, and only those', () => {
    const projected = projectMetadata(wire, {
      labels: ['kubernetes.io/service-name', 'absent'],
      annotations: ['purelb.io/allocated-by', 'purelb.io/pool-type'],
    });
    expect(projected.labels).toEqual({ 'kubernetes.io/service-name': 'web' });
    expect(projected.annotations).toEqual({ 'purelb.io/allocated-by': 'PureLB' });
  });

  it('leaves out fields of the wrong type and maps that hold none of the names', () => {
    expect(
      projectMetadata(
        { name: 7, namespace: null, generation: '3', uid: 5, labels: ['x'], annotations: { 'purelb.io/x': 1 } },
        { labels: ['x'], annotations: ['purelb.io/x'], fields: ['uid', 'generation'] },
      ),
    ).toEqual({});
  });

  it.each([undefined, null, 'text', 42, []])('gives empty metadata for %j', (raw) => {
    expect(projectMetadata(raw, { annotations: ['a'] })).toEqual({});
  });
});
