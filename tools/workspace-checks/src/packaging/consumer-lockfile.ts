// A package-lock.json for a project outside the workspace that installs packed workspace packages:
// their third-party dependencies at the versions and integrities the workspace's own lockfile pins.
// `npm ci` fetched exactly those tarballs, so `npm ci --offline` finds them in the npm cache (an
// offline `npm install` without a lockfile would need registry metadata that `npm ci` never fetches).

interface LockEntry {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly optional?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly [field: string]: unknown;
}

export interface WorkspaceLock {
  readonly lockfileVersion: number;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** A packed workspace package. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** Its folder in the workspace (`packages/k8s-watch`). */
  readonly dir: string;
  /** Path of the tarball relative to the consumer project (`tarballs/purelb-k8s-watch-0.1.0.tgz`). */
  readonly tarball: string;
  readonly integrity: string;
  readonly dependencies: Readonly<Record<string, string>>;
}

export interface ConsumerProject {
  /** The consumer's package.json. */
  readonly manifest: {
    name: string;
    version: string;
    private: true;
    type: 'module';
    dependencies: Record<string, string>;
  };
  readonly lock: {
    name: string;
    version: string;
    lockfileVersion: 3;
    requires: true;
    packages: Record<string, unknown>;
  };
}

/** The folder that holds `path`'s node_modules lookups next: `a/node_modules/b` → `a`; a workspace folder → root. */
function parentOf(path: string): string | undefined {
  if (path === '') return undefined;
  const at = path.lastIndexOf('/node_modules/');
  return at >= 0 ? path.slice(0, at) : '';
}

function requiredOf(entry: LockEntry): { name: string; optional: boolean }[] {
  const peersOptional = entry.peerDependenciesMeta ?? {};
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({
      name,
      optional: peersOptional[name]?.optional === true,
    })),
  ];
}

/** The registry's tarball URL of `name@version`, for lockfiles written without `resolved` fields. */
function tarballUrl(registry: string, name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${registry.replace(/\/?$/, '/')}${name}/-/${base}-${version}.tgz`;
}

export interface ConsumerOptions {
  /** The npm registry, for entries whose `resolved` the workspace lockfile omits. */
  readonly registry: string;
}

export function consumerProject(
  workspace: WorkspaceLock,
  packed: readonly PackedPackage[],
  options: ConsumerOptions,
): ConsumerProject {
  if (workspace.lockfileVersion < 2)
    throw new Error(`lockfileVersion ${workspace.lockfileVersion} has no "packages" map`);
  const byName = new Map(packed.map((p) => [p.name, p]));
  /** Where a workspace lock path lands in the consumer: a workspace folder becomes `node_modules/<name>`. */
  const toConsumer = (path: string): string => {
    for (const p of packed)
      if (path === p.dir || path.startsWith(`${p.dir}/`)) return `node_modules/${p.name}${path.slice(p.dir.length)}`;
    return path;
  };
  const packages: Record<string, unknown> = {};
  const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  packages[''] = { name: 'consumer', version: '0.0.0', dependencies };
  const queue: { from: string; needs: { name: string; optional: boolean }[] }[] = [];
  for (const p of packed) {
    packages[`node_modules/${p.name}`] = {
      version: p.version,
      resolved: `file:${p.tarball}`,
      integrity: p.integrity,
      dependencies: p.dependencies,
    };
    queue.push({ from: p.dir, needs: Object.keys(p.dependencies).map((name) => ({ name, optional: false })) });
  }
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    for (const need of item.needs) {
      if (byName.has(need.name)) continue;
      let found: string | undefined;
      for (let base: string | undefined = item.from; base !== undefined && found === undefined; base = parentOf(base)) {
        const candidate = base === '' ? `node_modules/${need.name}` : `${base}/node_modules/${need.name}`;
        if (workspace.packages[candidate] !== undefined) found = candidate;
      }
      if (found === undefined) {
        if (need.optional) continue;
        throw new Error(`${need.name} (needed by ${item.from}) is not in the workspace lockfile`);
      }
      const entry = workspace.packages[found] ?? {};
      if (entry.link === true)
        throw new Error(`${need.name} (needed by ${item.from}) is a workspace package that is not published`);
      const at = toConsumer(found);
      if (packages[at] !== undefined) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
      const name = found.slice(found.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const resolved =
        entry.resolved ?? (entry.version === undefined ? undefined : tarballUrl(options.registry, name, entry.version));
      packages[at] = resolved === undefined ? kept : { ...kept, resolved };
      queue.push({ from: found, needs: requiredOf(entry) });
    }
  }
  return {
    manifest: { name: 'consumer', version: '0.0.0', private: true, type: 'module', dependencies },
    lock: { name: 'consumer', version: '0.0.0', lockfileVersion: 3, requires: true, packages },
  };
}
