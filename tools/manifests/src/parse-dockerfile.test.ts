import { describe, expect, it } from 'vitest';
import { argsOf, parseDockerfile } from './parse-dockerfile.ts';

describe('parseDockerfile', () => {
  it('groups instructions into stages, joins continuation lines and skips comments inside them', () => {
    const file = parseDockerfile(
      [
        '# syntax=docker/dockerfile:1',
        'ARG V=1',
        'FROM node:24-bookworm-slim AS build',
        'RUN a \\',
        '  # a comment between continuation lines',
        ' && b',
        '',
        'from --platform=linux/amd64 node:24-bookworm-slim',
        'user 1:1',
      ].join('\n'),
    );
    expect(file.syntax).toBe('docker/dockerfile:1');
    expect(file.stages.map((s) => [s.from, s.name])).toEqual([
      ['node:24-bookworm-slim', 'build'],
      ['node:24-bookworm-slim', undefined],
    ]);
    expect(file.stages[0]?.instructions).toEqual([{ keyword: 'RUN', args: 'a && b', line: 4 }]);
    expect(file.stages[1] && argsOf(file.stages[1], 'USER')).toEqual(['1:1']);
  });

  it('refuses an instruction before the first FROM', () => {
    expect(() => parseDockerfile('RUN true\nFROM x')).toThrow('line 1: RUN before the first FROM');
  });
});
