import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { bindings, deadlines, units } from '../../src/db/schema.js';
import { seedFromFiles } from '../../src/db/seed.js';
import { BotProcess, type BotProcessOptions, TEST_TOKEN } from './bot-process.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';
import { findSecret } from './leaks.js';
import { DATA_DIR } from './roster.js';
import { tempDir } from './tmp.js';

/**
 * What the whole-process fault tests (test/e2e/faults-*.test.ts) share: a seeded database with
 * bound groups and due reminders, the fake Bot API, the real bot process (test/support/bot-process.ts), and the
 * token leak check each scenario ends with. Split over several files so vitest runs them side by
 * side: they mostly wait for child processes and timers.
 */

export const SECRET = TEST_TOKEN.split(':')[1]!;
export const COORDINATOR = 900;
export const ADMIN = 901;
export const HOUR = 3_600_000;

/** Every scenario's leak check in this test file: name → places where the secret was found. */
export const leakChecks = new Map<string, string[]>();
const cleanups: (() => Promise<void> | void)[] = [];

/**
 * Call once at the top of a test file: the file's own leak summary, and every bot and fake the
 * file started stopped at its end (vitest may run several files in one worker, sharing modules).
 */
export function cleanUpAfterAll(): void {
  beforeAll(() => {
    leakChecks.clear();
    cleanups.length = 0;
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // The rest still runs; test/support/setup.ts removes the temp folders anyway.
      }
    }
  });
}

export interface Setup {
  readonly groups?: readonly { chatId: number; unit?: string; city?: string }[];
  readonly deadlines?: readonly { title: string; unit?: string }[];
}

/** A temp directory with a seeded database, bound groups and reminders due now (late). */
export function prepare(setup: Setup = {}): string {
  const dir = tempDir('kczm-faults-');
  const db = openDatabase(join(dir, 'bot.db'));
  try {
    seedFromFiles(db, DATA_DIR);
    const unitId = (name: string) => {
      const row = db
        .select()
        .from(units)
        .all()
        .find((u) => u.name.endsWith(name));
      if (!row) throw new Error(`no unit ${name}`);
      return row;
    };
    for (const g of setup.groups ?? []) {
      const unit = g.unit ? unitId(g.unit) : undefined;
      db.insert(bindings)
        .values({
          chatId: g.chatId,
          chatTitle: `测试群 ${g.chatId}`,
          kind: unit ? 'unit' : 'city',
          prefecture: unit?.prefecture ?? g.city ?? '兰州市',
          unitId: unit?.id ?? null,
          boundBy: ADMIN,
        })
        .run();
    }
    for (const d of setup.deadlines ?? []) {
      // Due in 2 hours with a 3-hour reminder: due now (late).
      db.insert(deadlines)
        .values({
          title: d.title,
          submit: null,
          dueAt: Date.now() + 2 * HOUR,
          audience: d.unit ? { kind: 'units', unitIds: [unitId(d.unit).id] } : { kind: 'all_units' },
          offsets: ['3h'],
          source: null,
        })
        .run();
    }
  } finally {
    db.$client.close();
  }
  return dir;
}

export async function startFake(): Promise<FakeBotApi> {
  const fake = await startFakeBotApi({ token: TEST_TOKEN });
  cleanups.push(() => fake.close());
  return fake;
}

export function startBot(
  fake: FakeBotApi,
  dir: string,
  env: Record<string, string> = {},
  options: BotProcessOptions = {},
): BotProcess {
  const bot = new BotProcess(
    {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      ADMIN_USER_IDS: String(COORDINATOR),
      REMINDER_CRON: '*/1 * * * * *',
      // Retries after 100 ms, 200 ms, …: the same steps as in production, in a fifth of the time.
      TELEGRAM_RETRY_BASE_MS: '100',
      ...env,
    },
    dir,
    options,
  );
  cleanups.push(async () => {
    await bot.stop('SIGKILL');
    bot.cleanup();
  });
  return bot;
}

/** Records (for the file's summary test) whether the secret occurs in the outputs or the database. */
export function checkLeaks(scenario: string, outputs: Record<string, string>, dbPath?: string): void {
  const found = findSecret(SECRET, outputs, dbPath);
  leakChecks.set(scenario, found);
  expect(found).toEqual([]);
}

export function healthPort(bot: BotProcess): number {
  const m = /"port":(\d+),"msg":"http listening/.exec(bot.stderr);
  if (!m) throw new Error(`no http port in the log:\n${bot.stderr}`);
  return Number(m[1]);
}

export async function healthz(
  port: number,
): Promise<{ status: number; body: { ok: boolean; reasons: string[] } }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; reasons: string[] } };
}

export async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const texts = (fake: FakeBotApi, chatId: number) => fake.sent(chatId).map((m) => String(m.text));
export const reminders = (fake: FakeBotApi, chatId: number) =>
  texts(fake, chatId).filter((t) => t.includes('截止提醒'));
