import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_TOKEN } from '../support/bot-process.js';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { removeTempDir, tempDir } from '../support/tmp.js';
import { median } from './stats.js';
import { fmt, section, table } from './table.js';

/**
 * The real bot process beside a bare telegraf bot, each spawned against the fake Bot API:
 * spawn → first getUpdates, idle RSS of the whole process tree, and the first answer after start.
 * Then `npm run -s cli -- ask` wall time. `npm run bench:startup` runs this part alone.
 */

const RUNS = 5;
const IDLE_MS = 1_500;
const USER = 4242;

interface Variant {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly question: string;
  readonly expect: string;
}

const VARIANTS: readonly Variant[] = [
  {
    name: 'bare telegraf bot: node test/bench/bare-bot.mjs (baseline)',
    command: 'node',
    args: ['test/bench/bare-bot.mjs'],
    question: 'hi',
    expect: 'ok',
  },
  {
    name: 'the bot: node --max-semi-space-size=1 dist/main.cjs (what systemd and Docker run)',
    command: 'node',
    args: ['--max-semi-space-size=1', 'dist/main.cjs'],
    question: '张掖中学是试点吗',
    expect: '张掖中学',
  },
  {
    name: 'the bot: npm start (npm + the same node command)',
    command: 'npm',
    args: ['start'],
    question: '张掖中学是试点吗',
    expect: '张掖中学',
  },
  {
    name: 'the bot: npm run dev (tsx src/main.ts, development)',
    command: 'npm',
    args: ['run', 'dev'],
    question: '张掖中学是试点吗',
    expect: '张掖中学',
  },
];

interface Run {
  readonly firstPollMs: number;
  readonly treeRssMb: number;
  readonly processes: number;
  readonly firstAnswerMs: number;
}

/** RSS (MB) summed over every live process of the process group `pgid`, and how many there are. */
function groupRss(pgid: number): { mb: number; processes: number } {
  let kb = 0;
  let processes = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the ")" of the command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (rss) {
        kb += Number(rss[1]);
        processes++;
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return { mb: kb / 1024, processes };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('close', () => resolve());
  });
}

async function runOnce(variant: Variant, dbPath: string): Promise<Run> {
  const fake: FakeBotApi = await startFakeBotApi({ token: TEST_TOKEN });
  const t0 = performance.now();
  const child = spawn(variant.command, [...variant.args], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      DATABASE_PATH: dbPath,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    while (!fake.arrivals.has('getUpdates')) {
      if (performance.now() - t0 > 30_000) throw new Error('no getUpdates within 30 s');
      await new Promise((r) => setTimeout(r, 5));
    }
    const firstPollMs = (fake.arrivals.get('getUpdates') ?? 0) - t0;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const rss = groupRss(child.pid ?? -1);
    const asked = Date.now();
    fake.privateText(USER, variant.question);
    const [reply] = await fake.waitForSent(1, USER, 10_000);
    const answered = fake.callsOf('sendMessage').at(-1)?.at ?? Date.now();
    if (!String(reply?.text).includes(variant.expect))
      throw new Error(`${variant.name}: unexpected reply ${String(reply?.text)}`);
    return { firstPollMs, treeRssMb: rss.mb, processes: rss.processes, firstAnswerMs: answered - asked };
  } catch (err) {
    throw new Error(`${variant.name}: ${String(err)}\n${stderr}`);
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    const kill = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(kill);
    await fake.close();
  }
}

function cliAsk(dbPath: string): number {
  const t0 = performance.now();
  const r = spawnSync('npm', ['run', '-s', 'cli', '--', 'ask', '张掖中学'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PATH: dbPath },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0 || !r.stdout.includes('张掖中学')) throw new Error(`cli ask failed: ${r.stderr}`);
  return ms;
}

export async function benchProcessStartup(progress: (m: string) => void): Promise<void> {
  const dir = tempDir('kczm-bench-start-');
  try {
    spawnSync('npm', ['run', '-s', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    // One untimed start per variant migrates and seeds its database; the timed ones are restarts,
    // taken in rounds (every variant once per round) so a machine that slows down or speeds up
    // during the run weighs on the baseline and the bot alike.
    const dbOf = (i: number) => join(dir, `${i}.db`);
    for (const [i, variant] of VARIANTS.entries()) {
      progress(`start-up: ${variant.name} (warm-up)`);
      await runOnce(variant, dbOf(i));
    }
    const results = new Map<string, Run[]>(VARIANTS.map((v) => [v.name, []]));
    for (let round = 1; round <= RUNS; round++) {
      progress(`start-up: round ${round} of ${RUNS} (${VARIANTS.length} variants)`);
      for (const [i, variant] of VARIANTS.entries())
        results.get(variant.name)!.push(await runOnce(variant, dbOf(i)));
    }
    progress('npm run -s cli -- ask (1 warm-up + 5 runs)');
    const cliDb = join(dir, 'cli.db');
    cliAsk(cliDb);
    const cli = Array.from({ length: 5 }, () => cliAsk(cliDb));

    const base = results.get(VARIANTS[0]!.name)!;
    const m = (runs: Run[], f: (r: Run) => number) => median(runs.map(f));
    const rows = [...results].map(([name, runs]) => [
      name,
      `${fmt.int(m(runs, (r) => r.firstPollMs))} (${fmt.int(Math.min(...runs.map((r) => r.firstPollMs)))}–${fmt.int(Math.max(...runs.map((r) => r.firstPollMs)))})`,
      `${(m(runs, (r) => r.firstPollMs) / m(base, (r) => r.firstPollMs)).toFixed(2)}×`,
      `${fmt.int(m(runs, (r) => r.treeRssMb))} (${m(runs, (r) => r.processes)})`,
      `${(m(runs, (r) => r.treeRssMb) / m(base, (r) => r.treeRssMb)).toFixed(2)}×`,
      fmt.int(m(runs, (r) => r.firstAnswerMs)),
    ]);
    process.stdout.write(
      `${section(`11. Process start-up against the fake Bot API (median of ${RUNS} restarts on an existing database)`)}\n`,
    );
    process.stdout.write(
      `${table(
        [
          'process',
          'spawn → 1st getUpdates ms (min–max)',
          'vs bare',
          `tree RSS MB after ${IDLE_MS / 1000} s idle (processes)`,
          'vs bare',
          '1st answer ms',
        ],
        rows,
      )}\n`,
    );
    process.stdout.write(
      `targets: spawn → getUpdates ≤ 2.5× bare, idle tree RSS ≤ 1.5× bare (the node command, as supervised), first answer ≤ 20 ms\n`,
    );
    process.stdout.write(
      `npm run -s cli -- ask 张掖中学 (spawn until exit, existing database): median ${fmt.int(median(cli))} ms, max ${fmt.int(Math.max(...cli))} ms (target ≤ 1,000 ms)\n`,
    );
  } finally {
    removeTempDir(dir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`)
  await benchProcessStartup((m) => process.stderr.write(`[bench] ${m}\n`));
