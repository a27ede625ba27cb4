// `kubectl purelb validate FILE`: the ServiceGroups of a manifest judged as the CRD's rules and the
// allocator judge them (ipam-core's parseServiceGroupSpec and validateServiceGroups), each alone and
// across groups, and, given the live cluster's groups, as applying the file would leave them: a
// group of the file replaces the live one of its name and keeps its age; a new one is the youngest.
import { formatGroupErrors, validateServiceGroups } from '@purelb/ipam-core';
import type { GroupError, GroupInput } from '@purelb/ipam-core';
import { parseAllDocuments } from 'yaml';

/** A ServiceGroup found in a manifest. */
export interface ManifestGroup {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly createdAt: string | undefined;
  readonly spec: unknown;
  /** `file#3`: the document it came from (1-based). */
  readonly source: string;
}

export interface ManifestRead {
  readonly groups: readonly ManifestGroup[];
  /** What could not be read (YAML errors, a ServiceGroup without a name). */
  readonly problems: readonly string[];
  /** Documents of other kinds, skipped. */
  readonly skipped: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ServiceGroups (`purelb.io/v1`) of a YAML or JSON text, also inside `kind: List` documents. */
export function readManifestGroups(text: string, file: string): ManifestRead {
  const groups: ManifestGroup[] = [];
  const problems: string[] = [];
  let skipped = 0;
  const visit = (object: unknown, source: string): void => {
    if (!isRecord(object)) return;
    if (object.kind === 'List' && Array.isArray(object.items)) {
      object.items.forEach((item: unknown, i) => {
        visit(item, `${source} item ${i + 1}`);
      });
      return;
    }
    if (object.kind !== 'ServiceGroup' || object.apiVersion !== 'purelb.io/v1') {
      skipped++;
      return;
    }
    const meta = isRecord(object.metadata) ? object.metadata : {};
    const name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : undefined;
    if (name === undefined) {
      problems.push(`${source}: a ServiceGroup without metadata.name`);
      return;
    }
    groups.push({
      name,
      namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
      createdAt: typeof meta.creationTimestamp === 'string' ? meta.creationTimestamp : undefined,
      spec: object.spec,
      source,
    });
  };
  parseAllDocuments(text).forEach((doc, i) => {
    const source = `${file}#${i + 1}`;
    if (!('errors' in doc) || doc.errors.length > 0) {
      const first = 'errors' in doc ? doc.errors[0] : undefined;
      problems.push(`${source}: not YAML: ${first?.message.split('\n')[0] ?? 'unreadable'}`);
      return;
    }
    visit(doc.toJS(), source);
  });
  return { groups, problems, skipped };
}

export interface GroupVerdict {
  readonly name: string;
  readonly source: string;
  readonly ok: boolean;
  readonly code: string | undefined;
  readonly errors: readonly GroupError[];
  /** Set when the live cluster has a group of this name (the file changes it). */
  readonly replacesLive: boolean;
}

export interface ValidationReport {
  readonly groups: readonly GroupVerdict[];
  /** Live groups that are valid now and would not be after applying the file. */
  readonly brokenLive: readonly { readonly name: string; readonly code: string; readonly message: string }[];
  /** File-level problems: unreadable documents, duplicate names, another namespace. */
  readonly problems: readonly string[];
  readonly checkedAgainstLive: boolean;
}

export interface ValidateInput {
  readonly read: ManifestRead;
  /** The live cluster's groups (undefined: offline). */
  readonly live: readonly GroupInput[] | undefined;
  readonly installNamespace: string;
  /** When the file's new groups would be created (RFC 3339): they are the youngest. */
  readonly nowIso: string;
}

export function validateGroups(input: ValidateInput): ValidationReport {
  const { read, live, installNamespace, nowIso } = input;
  const problems = [...read.problems];
  const seen = new Map<string, string>();
  for (const g of read.groups) {
    const earlier = seen.get(g.name);
    if (earlier !== undefined)
      problems.push(`${g.source}: ServiceGroup "${g.name}" is also defined in ${earlier}; the later one wins`);
    seen.set(g.name, g.source);
    if (g.namespace !== undefined && g.namespace !== installNamespace) {
      problems.push(
        `${g.source}: ServiceGroup "${g.name}" is in namespace ${g.namespace}; PureLB reads groups only from ${installNamespace}`,
      );
    }
  }
  const fileGroups = [...new Map(read.groups.map((g) => [g.name, g])).values()];
  const liveByName = new Map((live ?? []).map((g) => [g.name, g]));
  const fromFile: GroupInput[] = fileGroups.map((g) => ({
    name: g.name,
    createdAt: liveByName.get(g.name)?.createdAt ?? g.createdAt ?? nowIso,
    spec: g.spec,
  }));
  const untouched = (live ?? []).filter((g) => !seen.has(g.name));
  const after = validateServiceGroups([...fromFile, ...untouched]);
  const verdicts = after.slice(0, fromFile.length);
  const groups: GroupVerdict[] = fileGroups.map((g, i) => {
    const v = verdicts[i];
    return {
      name: g.name,
      source: g.source,
      ok: v?.ok ?? false,
      code: v === undefined || v.ok ? undefined : v.code,
      errors: v === undefined || v.ok ? [] : v.errors,
      replacesLive: liveByName.has(g.name),
    };
  });
  const before = new Map(validateServiceGroups(live ?? []).map((c) => [c.name, c]));
  const brokenLive = after
    .slice(fromFile.length)
    .flatMap((c) =>
      !c.ok && before.get(c.name)?.ok === true
        ? [{ name: c.name, code: c.code, message: formatGroupErrors(c.errors) }]
        : [],
    );
  return { groups, brokenLive, problems, checkedAgainstLive: live !== undefined };
}

/** The report for people; `ok` says whether the file may be applied as it is. */
export function formatValidation(report: ValidationReport): { text: string; ok: boolean } {
  const lines: string[] = [];
  for (const g of report.groups) {
    const what = g.replacesLive ? ' (changes the live group)' : '';
    if (g.ok) lines.push(`ServiceGroup "${g.name}" (${g.source})${what}: valid`);
    else {
      lines.push(`ServiceGroup "${g.name}" (${g.source})${what}: ${g.code ?? 'invalid'}`);
      for (const e of g.errors) lines.push(`  ${e.path}: ${e.message}`);
    }
  }
  for (const b of report.brokenLive)
    lines.push(`live ServiceGroup "${b.name}" would become invalid (${b.code}): ${b.message}`);
  for (const p of report.problems) lines.push(`problem: ${p}`);
  if (report.groups.length === 0) lines.push('no ServiceGroup (purelb.io/v1) found');
  lines.push(report.checkedAgainstLive ? "checked against the live cluster's groups" : 'checked offline (no cluster)');
  const ok =
    report.groups.length > 0 &&
    report.groups.every((g) => g.ok) &&
    report.brokenLive.length === 0 &&
    report.problems.length === 0;
  return { text: lines.join('\n'), ok };
}
