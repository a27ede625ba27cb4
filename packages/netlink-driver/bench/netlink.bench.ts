// Benchmark: 1,000 IPv4 /32 addresses added to one link, listed, deleted, through the driver; the same
// 1,000 adds through `ip -batch` as the baseline; and how long an address removed by hand takes to
// come back through the change stream. Runs in a network namespace it creates and deletes, and
// prints one JSON line:
//   {"add1000Ms","list1000Ms","del1000Ms","ipBatchAdd1000Ms","ratio","restoreMs", ...}
// Targets: 1,000 adds within 1 s, and within 1.5× `ip -batch`. Each figure is the median of 9 rounds;
// `ratio` is the median of the rounds' own ratios (driver and `ip -batch` run back to back in each
// round, in alternating order), which keeps a busy machine's noise out of the comparison.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { filter, firstValueFrom, take } from 'rxjs';
import { createNetlinkDriver } from '../src/index.ts';
import { createNamespace } from '../src/netns.fixture.ts';

const COUNT = 1000;
const ROUNDS = 9;
const LINK = 'bench0';
// 198.18.0.0/15 is set aside for benchmarks (RFC 2544); it never leaves the namespace anyway.
const addresses = Array.from({ length: COUNT }, (_, i) => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round1 = (x: number): number => Math.round(x * 10) / 10;

async function timed(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

function ipBatch(lines: string[]): void {
  const r = spawnSync('ip', ['-batch', '-'], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -batch failed: ${r.stderr}`);
}

async function inner(): Promise<void> {
  const driver = createNetlinkDriver();
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  must(await driver.ensureLink({ name: LINK, kind: 'bridge' }));
  const add = () =>
    Promise.all(addresses.map((address) => driver.addAddress({ link: LINK, address, prefixLength: 32 }))).then((rs) =>
      rs.map(must),
    );
  const del = () =>
    Promise.all(addresses.map((address) => driver.deleteAddress({ link: LINK, address, prefixLength: 32 }))).then(
      (rs) => rs.map(must),
    );
  const rounds = { add: [] as number[], list: [] as number[], del: [] as number[], ip: [] as number[] };
  await add(); // warm-up
  await del();
  const ipAdd = (): number => {
    const start = performance.now();
    ipBatch(addresses.map((a) => `addr add ${a}/32 dev ${LINK}`));
    const ms = performance.now() - start;
    ipBatch(addresses.map((a) => `addr del ${a}/32 dev ${LINK}`));
    return ms;
  };
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 1) rounds.ip.push(ipAdd());
    rounds.add.push(await timed(add));
    rounds.list.push(
      await timed(async () => {
        const listed = must(await driver.listAddresses({ link: LINK, family: 'IPv4' }));
        if (listed.length !== COUNT) throw new Error(`listed ${listed.length} addresses, expected ${COUNT}`);
      }),
    );
    rounds.del.push(await timed(del));
    if (i % 2 === 0) rounds.ip.push(ipAdd());
  }

  // An address removed behind the driver's back, put back by a watcher as the node agent does.
  const restoreRounds: number[] = [];
  const restorer = driver
    .changes()
    .pipe(filter((c) => c.kind === 'address' && c.action === 'del' && c.address.owned))
    .subscribe((c) => {
      if (c.kind === 'address')
        void driver.addAddress({
          link: c.address.link,
          address: c.address.address,
          prefixLength: c.address.prefixLength,
        });
    });
  must(await driver.addAddress({ link: LINK, address: '198.18.200.1', prefixLength: 32 }));
  for (let i = 0; i < ROUNDS; i++) {
    const back = firstValueFrom(
      driver.changes().pipe(
        filter((c) => c.kind === 'address' && c.action === 'new' && c.address.address === '198.18.200.1'),
        take(1),
      ),
    );
    must(await driver.listLinks()); // both subscriptions are in place
    const start = performance.now();
    await new Promise<void>((resolve) => {
      spawn('ip', ['addr', 'del', '198.18.200.1/32', 'dev', LINK]).once('exit', () => {
        resolve();
      });
    });
    await back;
    restoreRounds.push(performance.now() - start);
  }
  restorer.unsubscribe();
  driver.close();

  const add1000Ms = round1(median(rounds.add));
  const ipBatchAdd1000Ms = round1(median(rounds.ip));
  console.log(
    JSON.stringify({
      add1000Ms,
      list1000Ms: round1(median(rounds.list)),
      del1000Ms: round1(median(rounds.del)),
      ipBatchAdd1000Ms,
      ratio: Math.round(median(rounds.add.map((ms, i) => ms / (rounds.ip[i] ?? NaN))) * 100) / 100,
      bestAdd1000Ms: round1(Math.min(...rounds.add)),
      bestIpBatchAdd1000Ms: round1(Math.min(...rounds.ip)),
      restoreMs: round1(median(restoreRounds)),
      rounds: ROUNDS,
      count: COUNT,
    }),
  );
}

function outer(): void {
  const ns = createNamespace();
  try {
    const r = spawnSync(
      'ip',
      ['netns', 'exec', ns.name, process.execPath, '--conditions=@purelb/source', import.meta.filename, '--inner'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.exitCode = 1;
  } finally {
    ns.remove();
  }
}

if (process.argv.includes('--inner')) await inner();
else if (process.getuid?.() !== 0) {
  console.error('the netlink benchmark needs root (it creates a network namespace)');
  process.exitCode = 1;
} else outer();
