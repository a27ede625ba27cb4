// Finds out whether kubectl is here, or which Debian package would bring it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parseAptCandidate } from './access-instructions.ts';
import type { KubectlAvailability } from './access-instructions.ts';

/** The first executable file called `name` in the directories of `pathVariable`. */
export function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const APT_PACKAGE = 'kubernetes-client';

/** kubectl on PATH, else the apt candidate of `kubernetes-client`, else missing. */
export function detectKubectl(pathVariable: string | undefined): KubectlAvailability {
  const found = findOnPath('kubectl', pathVariable);
  if (found !== undefined) return { kind: 'on-path', path: found };
  if (findOnPath('apt-cache', pathVariable) === undefined) return { kind: 'missing' };
  const policy = spawnSync('apt-cache', ['policy', APT_PACKAGE], { encoding: 'utf8', timeout: 10_000 });
  const version = policy.status === 0 ? parseAptCandidate(policy.stdout) : undefined;
  return version === undefined ? { kind: 'missing' } : { kind: 'apt', packageName: APT_PACKAGE, version };
}
