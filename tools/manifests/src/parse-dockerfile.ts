// A Dockerfile as data, for static checks of the image build files: instructions (continuation lines
// joined, comments dropped) grouped into build stages.

export interface Instruction {
  /** Upper case, e.g. `RUN`. */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
}

export interface Stage {
  /** The image the stage starts from (`node:24-bookworm-slim`). */
  readonly from: string;
  /** `AS name`, when given. */
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** The `# syntax=` directive, when present. */
  readonly syntax?: string;
  readonly stages: readonly Stage[];
}

function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === undefined && (line === '' || line.startsWith('#'))) return;
    if (pending !== undefined && line.startsWith('#')) return;
    const continued = line.endsWith('\\');
    const body = continued ? line.slice(0, -1).trim() : line;
    pending =
      pending === undefined
        ? { text: body, line: i + 1 }
        : { text: `${pending.text} ${body}`.trim(), line: pending.line };
    if (continued) return;
    const m = /^(\S+)\s*(.*)$/.exec(pending.text);
    if (m !== null) out.push({ keyword: (m[1] ?? '').toUpperCase(), args: m[2] ?? '', line: pending.line });
    pending = undefined;
  });
  return out;
}

export function parseDockerfile(text: string): Dockerfile {
  const syntax = /^#\s*syntax=(\S+)/.exec(text)?.[1];
  const stages: { from: string; name?: string; instructions: Instruction[] }[] = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (m === null) throw new Error(`line ${ins.line}: FROM ${ins.args} does not parse`);
      stages.push({ from: m[1] ?? '', ...(m[2] === undefined ? {} : { name: m[2] }), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) {
      if (ins.keyword === 'ARG') continue;
      throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
    }
    stage.instructions.push(ins);
  }
  return { ...(syntax === undefined ? {} : { syntax }), stages };
}

/** The arguments of every instruction of that keyword in the stage. */
export const argsOf = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
