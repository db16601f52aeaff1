import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

/** The files the build reads: a change to any of them makes dist/ stale. */
const BUILD_INPUTS = ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const STAMP = join(PROJECT_ROOT, 'dist', '.tsbuildinfo');

function builtAt(): number {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return Number.NEGATIVE_INFINITY;
  }
}

/**
 * vitest global setup: compiles src/ to dist/ once per run, so the whole-process tests start what
 * production starts (`npm start` = node dist/main.cjs, `npm run cli` = node dist/cli.cjs). Skipped when dist/
 * is newer than every build input (as right after `npm ci`, whose `prepare` builds).
 */
export default function build(): void {
  const stale = BUILD_INPUTS.some((input) => newestMtime(join(PROJECT_ROOT, input)) > builtAt());
  if (!stale) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  // tsc leaves its build info untouched when no output changed (a file touched, not edited).
  const now = new Date();
  utimesSync(STAMP, now, now);
}
