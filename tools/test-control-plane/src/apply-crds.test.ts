import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCrds } from './apply-crds.ts';
import { DEFAULT_CRD_DIR } from './start-control-plane.ts';

describe('readCrds', () => {
  it("reads the project's CRDs, YAML anchors resolved", () => {
    const crds = readCrds(DEFAULT_CRD_DIR);
    expect(crds.map((c) => c.name)).toEqual(['lbnodeagents.purelb.io', 'servicegroups.purelb.io']);
    const sg = crds[1]!.body as {
      spec: {
        versions: {
          schema: {
            openAPIV3Schema: {
              properties: { spec: { properties: { local: { properties: Record<string, unknown> } } } };
            };
          };
        }[];
      };
    };
    const local = sg.spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties.local.properties;
    expect(local['v4pool']).toEqual((local['v4pools'] as { items: unknown }).items);
  });

  it('names the file and document of something that is not a CRD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crds-'));
    try {
      writeFileSync(join(dir, 'x.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
      expect(() => readCrds(dir)).toThrow(
        `${join(dir, 'x.yaml')} document 1: expected a CustomResourceDefinition with metadata.name`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
