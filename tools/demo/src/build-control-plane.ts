// Builds (or finds cached) kube-apiserver + etcd with the repository's build script, showing its progress.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs `tools/control-plane/build.sh`; its progress goes straight to our stderr. Resolves with the
 * directory holding the binaries (the script's last stdout line).
 */
export async function buildControlPlane(repoRoot: string): Promise<string> {
  const script = join(repoRoot, 'tools', 'control-plane', 'build.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | string>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, signal) => {
      resolve(c ?? signal ?? 'unknown');
    });
  });
  const dir = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0 || dir === '') throw new Error(`${script} failed (${String(code)})`);
  return dir;
}
