import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from './paths.js';

/**
 * vitest global setup: compiles src/ to dist/ (incremental) once per run, so the whole-process
 * tests start what production starts (`npm start` = node dist/main.js, `npm run cli` = dist/cli).
 */
export default function build(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
}
