import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imageNodeFlags, residentBytes, sampleResidentSet } from './process-memory.ts';

const dir = mkdtempSync(join(tmpdir(), 'purelb-process-memory-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function dockerfile(text: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.Dockerfile`);
  writeFileSync(path, text);
  return path;
}

describe('imageNodeFlags', () => {
  it('returns the options between node and the entry point', () => {
    const path = dockerfile('FROM x\nENTRYPOINT ["node", "--max-semi-space-size=4", "--no-warnings", "app/main.js"]\n');
    expect(imageNodeFlags(path, 'app/main.js')).toEqual(['--max-semi-space-size=4', '--no-warnings']);
  });

  it('returns none when the image passes none', () => {
    expect(imageNodeFlags(dockerfile('ENTRYPOINT ["node", "app/main.js"]\n'), 'app/main.js')).toEqual([]);
  });

  it.each([
    ['another entry point', 'ENTRYPOINT ["node", "other.js"]'],
    ['shell form', 'ENTRYPOINT node app/main.js'],
    ['not node', 'ENTRYPOINT ["bun", "app/main.js"]'],
    ['broken JSON', 'ENTRYPOINT ["node", app/main.js]'],
    ['no ENTRYPOINT', 'CMD ["node", "app/main.js"]'],
  ])('names the file and the expected entry point on %s', (_what, line) => {
    const path = dockerfile(`FROM x\n${line}\n`);
    expect(() => imageNodeFlags(path, 'app/main.js')).toThrow(`${path}: no ENTRYPOINT ["node", …, "app/main.js"]`);
  });
});

describe('resident set', () => {
  it('reads this process: resident now is at most the most ever resident', () => {
    const now = residentBytes(process.pid);
    expect(now).toBeGreaterThan(1_000_000);
    expect(residentBytes(process.pid, 'VmHWM')).toBeGreaterThanOrEqual(now);
  });

  it('samples over the window: median within the range seen', async () => {
    const sample = await sampleResidentSet(process.pid, { durationMs: 60, intervalMs: 10 });
    expect(sample.min).toBeGreaterThan(0);
    expect(sample.median).toBeGreaterThanOrEqual(sample.min);
    expect(sample.max).toBeGreaterThanOrEqual(sample.median);
  });

  it('throws for a process that does not exist', () => {
    expect(() => residentBytes(2 ** 22 + 1)).toThrow();
  });
});
