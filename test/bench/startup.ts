import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.js';

/** Start-up costs: building the in-memory answerer, and a whole CLI process until it exits. */

export function timeMs<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

export interface BuildTimes {
  /** The first build in this process (cold code paths). */
  readonly firstMs: number;
  /** Median of the repeated builds that follow. */
  readonly medianMs: number;
  readonly repeats: number;
}

/** Times `build` once cold and then `repeats` more times; returns the first value built. */
export function timeBuilds<T>(build: () => T, repeats: number): { times: BuildTimes; value: T } {
  const first = timeMs(build);
  const again: number[] = [];
  for (let i = 0; i < repeats; i++) again.push(timeMs(build).ms);
  return { times: { firstMs: first.ms, medianMs: median(again), repeats }, value: first.value };
}

export interface CliRun {
  readonly ms: number;
  readonly freshDatabase: boolean;
  readonly ok: boolean;
  readonly output: string;
}

/**
 * Spawns the compiled CLI (`node dist/cli.cjs ask TEXT`, what `npm run -s cli` runs) with DATABASE_PATH on a fresh temporary file and
 * measures wall time until exit: the first run also migrates and seeds, later runs reuse the file.
 */
export function timeCli(root: string, text: string, runs: number, expect: string): CliRun[] {
  const dir = mkdtempSync(join(tmpdir(), 'kczm-bench-'));
  const env = { ...process.env, DATABASE_PATH: join(dir, 'bench.db') };
  const out: CliRun[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const child = spawnSync('node', ['dist/cli.cjs', 'ask', text], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const output = `${child.stdout ?? ''}${child.stderr ?? ''}`.trim();
      out.push({ ms, freshDatabase: i === 0, ok: child.status === 0 && output.includes(expect), output });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
