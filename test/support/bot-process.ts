import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths.js';
import { removeTempDir, tempDir } from './tmp.js';

export { PROJECT_ROOT };

/** `npm start`'s command without npm (`node --max-semi-space-size=1 dist/main.cjs`): what systemd and Docker run. */
const SUPERVISED = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .replace(/^exec /, '')
  .split(' ');

export interface BotProcessOptions {
  /**
   * Start it through `npm start` (npm in the process group, forwarding signals) instead of the
   * supervised command alone; the signal tests need npm there, the rest save its start-up.
   */
  readonly npm?: boolean;
}

/**
 * The real bot process (compiled by the test setup), its stderr collected, with its own temporary
 * database: the command systemd and Docker run, or `npm start` with `{ npm: true }`.
 */
export class BotProcess {
  readonly child: ChildProcess;
  stderr = '';
  stdout = '';
  readonly dir: string;
  /** Settles once every process of the group holding the output pipes has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(env: Record<string, string>, dir?: string, options: BotProcessOptions = {}) {
    this.dir = dir ?? tempDir('kczm-bot-');
    const [command, ...args] = options.npm ? ['npm', 'start'] : SUPERVISED;
    this.child = spawn(command!, args, {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATABASE_PATH: join(this.dir, 'bot.db'),
        LOG_LEVEL: 'info',
        // As on many servers and in containers: the bot's times must not follow it (BOT_TIMEZONE).
        TZ: 'UTC',
        // Any free port for GET /healthz, so that parallel bots do not compete for 8080.
        PORT: '0',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a signal reaches npm, tsx and node alike, as from a terminal.
      detached: true,
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.stdout?.on('data', (d: Buffer) => {
      this.stdout += d.toString();
    });
    // 'close' fires once every process holding the output pipes has exited, not just npm.
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code, signal) => resolve({ code, signal })),
    );
  }

  /** Resolves when stderr contains the text; rejects with the log so far after the timeout. */
  async waitForLog(text: string, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    while (!this.stderr.includes(text)) {
      if (Date.now() - started > timeoutMs)
        throw new Error(`timed out waiting for "${text}"; stderr:\n${this.stderr}`);
      if (this.child.exitCode !== null) throw new Error(`process exited; stderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Signals the whole process group and waits until all of it has exited (SIGKILL after the timeout). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
    this.signal(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  /** Signals only the process spawned (npm with `{ npm: true }`), as a supervisor that knows one pid would, and waits for the group to exit. */
  async stopMain(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000) {
    this.child.kill(signal);
    const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid) process.kill(-this.child.pid, signal);
    } catch {
      // Already gone.
    }
  }

  cleanup(): void {
    removeTempDir(this.dir);
  }
}

/** A token shaped like a real one (the fake accepts any token it is started with). */
export const TEST_TOKEN = '123456789:AAHk4xTestTokenForTheLocalFake_0123';
