import { describe, expect, it } from 'vitest';
import { formatValidation, readManifestGroups, validateGroups } from './validate-groups.ts';

const NOW = '2026-03-01T12:00:00.000Z';

const manifest = `
apiVersion: purelb.io/v1
kind: ServiceGroup
metadata: { name: web, namespace: purelb }
spec:
  local:
    avoidBuggyIPs: true
    v4pools:
      - { pool: 192.0.2.0/25, subnet: 192.0.2.0/24, exclude: [192.0.2.10] }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: unrelated }
---
apiVersion: purelb.io/v1
kind: ServiceGroup
metadata: { name: broken }
spec:
  local:
    v4pools:
      - { pool: 192.0.2.100-192.0.2.200, subnet: 192.0.2.0/24 }
      - { pool: 198.51.100.0/24, subnet: 203.0.113.0/24, exclude: [198.51.100.9-198.51.100.1] }
`;

describe('readManifestGroups', () => {
  it('finds the ServiceGroups of a multi-document file and counts what it skips', () => {
    const read = readManifestGroups(manifest, 'groups.yaml');
    expect(read.groups.map((g) => [g.name, g.namespace, g.source])).toEqual([
      ['web', 'purelb', 'groups.yaml#1'],
      ['broken', undefined, 'groups.yaml#3'],
    ]);
    expect(read.skipped).toBe(1);
    expect(read.problems).toEqual([]);
  });

  it('reads a List and reports documents that are not YAML or groups without a name', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'purelb.io/v1', kind: 'ServiceGroup', metadata: {}, spec: {} }],
    });
    expect(readManifestGroups(`${list}\n---\nkey: [unclosed\n`, 'f').problems).toEqual([
      'f#1 item 1: a ServiceGroup without metadata.name',
      expect.stringMatching(/^f#2: not YAML: /) as unknown,
    ]);
  });
});

describe('validateGroups', () => {
  it("offline: each group alone and the file's groups together, every error located", () => {
    const report = validateGroups({
      read: readManifestGroups(manifest, 'g.yaml'),
      live: undefined,
      installNamespace: 'purelb',
      nowIso: NOW,
    });
    const { text, ok } = formatValidation(report);
    expect(ok).toBe(false);
    expect(text.split('\n')).toEqual([
      'ServiceGroup "web" (g.yaml#1): valid',
      'ServiceGroup "broken" (g.yaml#3): InvalidPool',
      '  spec.local.v4pools[1].pool: pool 198.51.100.0-198.51.100.255 is not inside subnet 203.0.113.0/24',
      '  spec.local.v4pools[1].exclude[0]: range start 198.51.100.9 is after its end 198.51.100.1',
      'checked offline (no cluster)',
    ]);
  });

  it('against the live groups: a new group is the youngest and loses an overlap; a change keeps its age and may break a younger live group', () => {
    const read = readManifestGroups(
      [
        'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata: { name: fresh }\nspec: { local: { v4pools: [ { pool: 198.51.100.0/28, subnet: 198.51.100.0/24 } ] } }',
        'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata: { name: old, namespace: elsewhere }\nspec: { local: { v4pools: [ { pool: 203.0.113.0/24, subnet: 203.0.113.0/24 } ] } }',
      ].join('\n---\n'),
      'f',
    );
    const live = [
      {
        name: 'old',
        createdAt: '2025-01-01T00:00:00Z',
        spec: { local: { v4pools: [{ pool: '203.0.113.0/28', subnet: '203.0.113.0/24' }] } },
      },
      {
        name: 'young',
        createdAt: '2025-06-01T00:00:00Z',
        spec: { local: { v4pools: [{ pool: '203.0.113.200/29', subnet: '203.0.113.0/24' }] } },
      },
      {
        name: 'taken',
        createdAt: '2025-06-01T00:00:00Z',
        spec: { local: { v4pools: [{ pool: '198.51.100.8/29', subnet: '198.51.100.0/24' }] } },
      },
    ];
    const { text, ok } = formatValidation(validateGroups({ read, live, installNamespace: 'purelb', nowIso: NOW }));
    expect(ok).toBe(false);
    expect(text.split('\n')).toEqual([
      'ServiceGroup "fresh" (f#1): Overlap',
      '  spec.local.v4pools[0].pool: pool 198.51.100.0-198.51.100.15 contains pool 198.51.100.8-198.51.100.15 of group "taken" (spec.local.v4pools[0].pool)',
      'ServiceGroup "old" (f#2) (changes the live group): valid',
      'live ServiceGroup "young" would become invalid (Overlap): spec.local.v4pools[0].pool: pool 203.0.113.200-203.0.113.207 is inside pool 203.0.113.0-203.0.113.255 of group "old" (spec.local.v4pools[0].pool)',
      'problem: f#2: ServiceGroup "old" is in namespace elsewhere; PureLB reads groups only from purelb',
      "checked against the live cluster's groups",
    ]);
  });

  it('a file of valid groups that fit the cluster is fine', () => {
    const read = readManifestGroups(
      'apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata: { name: a }\nspec: { local: { v6pool: { pool: 2001:db8::/64, subnet: 2001:db8::/64 } } }',
      'f',
    );
    expect(formatValidation(validateGroups({ read, live: [], installNamespace: 'purelb', nowIso: NOW }))).toEqual({
      text: 'ServiceGroup "a" (f#1): valid\nchecked against the live cluster\'s groups',
      ok: true,
    });
  });
});
