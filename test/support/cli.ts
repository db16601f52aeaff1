import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './bot-process.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run cli -- ARGS` as an operator would, with its own database unless one is given. */
export function runCli(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): CliResult {
  const dir = mkdtempSync(join(tmpdir(), 'kczm-cli-'));
  const result = spawnSync('npm', ['run', 'cli', '--', ...args], {
    cwd: PROJECT_ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATABASE_PATH: join(dir, 'bot.db'),
      ...opts.env,
    },
    timeout: 60_000,
  });
  rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * {@link runCli} without blocking the test process, for commands that talk to a fake Bot API
 * running in this process (a synchronous spawn would keep it from answering).
 */
export function runCliAsync(args: string[], opts: { env?: Record<string, string> } = {}): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kczm-cli-'));
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'cli', '--', ...args], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_PATH: join(dir, 'bot.db'),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr });
    });
  });
}
