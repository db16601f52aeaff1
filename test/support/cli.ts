import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.js';
import type { Clock } from '../../src/clock.js';
import { PROJECT_ROOT } from './paths.js';
import { removeTempDir, tempDir } from './tmp.js';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Standard input (ask reads questions from it). */
  readonly input?: string;
  /** The environment, over a private DATABASE_PATH (removed afterwards) unless one is given. */
  readonly env?: Record<string, string>;
  /** The caller's folder; relative paths in arguments resolve here. */
  readonly cwd?: string;
  /** Pins "now" for due-time checks. */
  readonly clock?: Clock;
}

/**
 * The operator CLI in this process, through the same entry the `npm run cli` binary calls, with
 * its own streams: exit status, stdout and stderr as an operator would see them.
 */
export async function cli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const dir = opts.env?.DATABASE_PATH ? null : tempDir('kczm-cli-');
  let stdout = '';
  let stderr = '';
  try {
    const status = await runCli({
      argv: args,
      env: { ...(dir ? { DATABASE_PATH: join(dir, 'bot.db') } : {}), LOG_LEVEL: 'warn', ...opts.env },
      cwd: opts.cwd ?? PROJECT_ROOT,
      stdout: (chunk) => {
        stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      },
      stderr: (chunk) => {
        stderr += chunk;
      },
      stdin: Readable.from([opts.input ?? '']),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    return { status, stdout, stderr };
  } finally {
    if (dir) removeTempDir(dir);
  }
}

/** `npm run -s cli -- ARGS` as a whole process (the compiled CLI), for the few smoke tests. */
export function cliProcess(args: string[], opts: CliOptions = {}): CliResult {
  const dir = opts.env?.DATABASE_PATH ? null : tempDir('kczm-cli-');
  try {
    const result = spawnSync('npm', ['run', '-s', 'cli', '--', ...args], {
      cwd: opts.cwd ?? PROJECT_ROOT,
      input: opts.input ?? '',
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(dir ? { DATABASE_PATH: join(dir, 'bot.db') } : {}),
        ...opts.env,
      },
      timeout: 30_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    if (dir) removeTempDir(dir);
  }
}
