// Whether this machine can hold a lab: root, the `ip` command, and network namespaces that can
// really be made (a container may forbid them even to root).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { NAMESPACE_PREFIX } from './lab-plan.ts';

export type LabSupportProblemCode = 'NotRoot' | 'NoIpCommand' | 'NoNetworkNamespaces';

export interface LabSupportProblem {
  readonly code: LabSupportProblemCode;
  readonly message: string;
}

export type LabSupport = { readonly ok: true } | { readonly ok: false; readonly error: LabSupportProblem };

/** Checks by doing: creates and deletes one throw-away namespace. */
export function labSupport(): LabSupport {
  if (process.getuid?.() !== 0) {
    return {
      ok: false,
      error: { code: 'NotRoot', message: 'the node lab needs root to create network namespaces; run it as root' },
    };
  }
  const version = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) {
    return {
      ok: false,
      error: {
        code: 'NoIpCommand',
        message: 'the node lab needs the ip command (iproute2); install it with tools/setup-system.sh',
      },
    };
  }
  const probe = `${NAMESPACE_PREFIX}probe-${randomBytes(4).toString('hex')}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  spawnSync('ip', ['netns', 'delete', probe]);
  if (add.status !== 0) {
    const reason = add.stderr.trim().split('\n')[0] ?? '';
    return {
      ok: false,
      error: { code: 'NoNetworkNamespaces', message: `the node lab cannot create network namespaces here: ${reason}` },
    };
  }
  return { ok: true };
}
