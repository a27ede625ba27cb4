// The image build files, checked without a container engine: two stages on Node 24, the runtime
// stage holds no build tools' work, runs the compiled daemon, exposes the port the manifests use,
// runs as a non-root user where the daemon allows it, and the node agent's image has what gratuitous
// ARP and unsolicited Neighbor Advertisements need.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKustomization } from './load-kustomization.ts';
import { argsOf, parseDockerfile } from './parse-dockerfile.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const images = join(root, 'deploy', 'images');
const base = loadKustomization(join(root, 'deploy', 'base')).objects;

interface Pod {
  securityContext?: { runAsUser?: number; runAsNonRoot?: boolean };
  containers: { ports?: { containerPort: number }[]; securityContext?: { runAsUser?: number } }[];
}
const podOf = (kind: string, name: string): Pod => {
  const o = base.find((x) => x.kind === kind && x.metadata.name === name) as unknown as
    { spec: { template: { spec: Pod } } } | undefined;
  if (o === undefined) throw new Error(`deploy/base has no ${kind} ${name}`);
  return o.spec.template.spec;
};

const daemons = [
  { component: 'allocator', kind: 'Deployment' },
  { component: 'lbnodeagent', kind: 'DaemonSet' },
] as const;

describe.each(daemons)('deploy/images/$component.Dockerfile', ({ component, kind }) => {
  const file = parseDockerfile(readFileSync(join(images, `${component}.Dockerfile`), 'utf8'));
  const [build, runtime, ...more] = file.stages;
  if (build === undefined || runtime === undefined) throw new Error('expected two stages');
  const pod = podOf(kind, component);

  it('is a two-stage build on Node 24 (Debian slim) with the BuildKit syntax line', () => {
    expect(file.syntax).toBe('docker/dockerfile:1');
    expect(more).toEqual([]);
    expect(build.name).toBe('build');
    expect(build.from).toMatch(/^node:24(\.\d+)*-[a-z]+-slim$/);
    expect(runtime.from).toBe(build.from);
  });

  it('compiles in the build stage and keeps production dependencies only', () => {
    const runs = argsOf(build, 'RUN').join('\n');
    expect(runs).toMatch(/npm ci /);
    expect(runs).toContain(`nx run @purelb/${component}:build`);
    expect(runs).toMatch(/npm ci --omit=dev/);
  });

  it('copies the results into the runtime stage and builds nothing there', () => {
    const copies = argsOf(runtime, 'COPY');
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c).toMatch(/^--from=build /);
    expect(copies).toContain(`--from=build /src/apps/${component} ./apps/${component}`);
    expect(argsOf(runtime, 'RUN').join('\n')).not.toMatch(/\bnpm\b|\bnpx\b|\btsc\b/);
    expect(argsOf(runtime, 'ENV')).toContain('NODE_ENV=production');
  });

  it('runs the compiled daemon, which the package builds from src/main.ts', () => {
    // Exec form: node, any Node options, the compiled main.
    const [entrypoint, ...others] = argsOf(runtime, 'ENTRYPOINT');
    expect(others).toEqual([]);
    const argv = JSON.parse(entrypoint ?? '[]') as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe(`apps/${component}/dist/main.js`);
    for (const option of argv.slice(1, -1)) expect(option).toMatch(/^--[a-z-]+(=\S+)?$/);
    expect(existsSync(join(root, 'apps', component, 'src', 'main.ts'))).toBe(true);
    const tsconfig = JSON.parse(readFileSync(join(root, 'apps', component, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions?: { rootDir?: string; outDir?: string };
    };
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
  });

  it('exposes the port the manifests name', () => {
    const ports = pod.containers.flatMap((c) => c.ports ?? []).map((p) => String(p.containerPort));
    expect(argsOf(runtime, 'EXPOSE')).toEqual(ports);
  });

  it('keeps node_modules, dist and .git out of the build context', () => {
    const ignore = readFileSync(join(images, `${component}.Dockerfile.dockerignore`), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.git']) expect(ignore).toContain(entry);
  });
});

describe('users', () => {
  it('the allocator image runs as the non-root user the Deployment asks for', () => {
    const runtime = parseDockerfile(readFileSync(join(images, 'allocator.Dockerfile'), 'utf8')).stages[1];
    const pod = podOf('Deployment', 'allocator');
    expect(runtime && argsOf(runtime, 'USER')).toEqual([
      `${pod.securityContext?.runAsUser}:${pod.securityContext?.runAsUser}`,
    ]);
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).not.toBe(0);
  });

  it('the node agent runs as root because added capabilities reach only root, and its image has arping and perl', () => {
    const runtime = parseDockerfile(readFileSync(join(images, 'lbnodeagent.Dockerfile'), 'utf8')).stages[1];
    if (runtime === undefined) throw new Error('no runtime stage');
    // No USER: root, as the DaemonSet says explicitly.
    expect(argsOf(runtime, 'USER')).toEqual([]);
    expect(podOf('DaemonSet', 'lbnodeagent').containers[0]?.securityContext?.runAsUser).toBe(0);
    const install = argsOf(runtime, 'RUN').find((r) => r.includes('apt-get install'));
    expect(install?.split(/\s+/)).toEqual(
      expect.arrayContaining(['iputils-arping', 'perl-base', '--no-install-recommends']),
    );
    expect(install).toContain('rm -rf /var/lib/apt/lists/*');
  });
});

describe('deploy/images/routing-sidecar.Dockerfile', () => {
  const file = parseDockerfile(readFileSync(join(images, 'routing-sidecar.Dockerfile'), 'utf8'));
  const [build, runtime, ...more] = file.stages;

  it('builds like the daemons (two stages on Node 24 slim, production dependencies only) and runs the compiled sidecar', () => {
    if (build === undefined || runtime === undefined) throw new Error('expected two stages');
    expect(more).toEqual([]);
    expect(file.syntax).toBe('docker/dockerfile:1');
    expect(build.from).toMatch(/^node:24(\.\d+)*-[a-z]+-slim$/);
    expect(runtime.from).toBe(build.from);
    expect(argsOf(build, 'RUN').join('\n')).toContain('nx run @purelb/routing-sidecar:build');
    expect(argsOf(build, 'RUN').join('\n')).toMatch(/npm ci --omit=dev/);
    for (const c of argsOf(runtime, 'COPY')) expect(c).toMatch(/^--from=build /);
    expect(argsOf(runtime, 'ENTRYPOINT')).toEqual(['["node", "apps/routing-sidecar/dist/main.js"]']);
  });

  it('installs BIRD 2 and runs as root, which the component limits to NET_BIND_SERVICE', () => {
    if (runtime === undefined) throw new Error('no runtime stage');
    expect(
      argsOf(runtime, 'RUN')
        .find((r) => r.includes('apt-get install'))
        ?.split(/\s+/),
    ).toEqual(expect.arrayContaining(['bird2', '--no-install-recommends']));
    expect(argsOf(runtime, 'USER')).toEqual([]);
    const patch = readFileSync(
      join(root, 'deploy', 'components', 'routing-sidecar', 'lbnodeagent-routing-sidecar.yaml'),
      'utf8',
    );
    expect(patch).toMatch(/drop: \[ALL\]\n\s+add: \[NET_BIND_SERVICE\]/);
  });
});
