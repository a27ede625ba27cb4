// The version this daemon was built as: `version` of its package.json, which sits next to both
// `src/` and `dist/` (and is copied into the image with the compiled files).
import { readFileSync } from 'node:fs';

export function readVersion(packageJson: URL = new URL('../package.json', import.meta.url)): string {
  const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
  if (typeof parsed.version !== 'string' || parsed.version === '')
    throw new Error(`${packageJson.pathname} has no version`);
  return parsed.version;
}
