import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { deadlines } from '../../src/db/schema.js';
import { applySeed } from '../../src/db/seed.js';
import { readSeedData } from '../../src/db/seed-files.js';
import { BotProcess, TEST_TOKEN } from '../support/bot-process.js';
import { bindManyGroups } from '../support/bulk-bindings.js';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.js';
import { DATA_DIR } from '../support/roster.js';

/**
 * Crash safety of the reminder fan-out: the real bot process is SIGKILLed in the middle of a
 * fan-out to ~150 groups and started again on the same database. Every group must get the
 * reminder (no loss), only sends that were in flight at the kill may be repeated, never more
 * than once, and later ticks send nothing more.
 */

const CITY_GROUPS = 20;
const UNIT_GROUPS = 130;
/** Kill the first process once this many groups got the reminder. */
const KILL_AFTER = 40;
const TICK_MS = 1_000;

const HOUR = 3_600_000;
const FIRST_CHAT_ID = -1_001_000_000_000;

/** A temp database with the real seed, ~150 group bindings and one reminder due now. */
function prepareDatabase(path: string): number[] {
  const db = openDatabase(path);
  try {
    applySeed(db, readSeedData(DATA_DIR));
    const chats = bindManyGroups(db, CITY_GROUPS, UNIT_GROUPS, FIRST_CHAT_ID);
    // Due in 2 hours with a 3-hour reminder: it fired an hour ago and is due now (late).
    db.insert(deadlines)
      .values({
        title: '崩溃恢复测试：提交阶段总结',
        submit: '阶段总结（PDF）',
        dueAt: Date.now() + 2 * HOUR,
        audience: { kind: 'all_units' },
        offsets: ['3h'],
        source: null,
      })
      .run();
    return chats;
  } finally {
    db.$client.close();
  }
}

/** Successful sendMessage calls per chat, from the fake's records. */
function sentPerChat(fake: FakeBotApi): Map<number, number> {
  const counts = new Map<number, number>();
  for (const params of fake.sent()) {
    const chatId = Number(params.chat_id);
    counts.set(chatId, (counts.get(chatId) ?? 0) + 1);
  }
  return counts;
}

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reminder fan-out crash safety (real process, SIGKILL mid-fan-out)', () => {
  it('loses nothing, repeats at most what was in flight, and settles', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kczm-crash-'));
    const dbPath = join(dir, 'bot.db');
    let fake: FakeBotApi | undefined;
    let first: BotProcess | undefined;
    let second: BotProcess | undefined;
    let reader: Database.Database | undefined;
    try {
      const chats = prepareDatabase(dbPath);
      fake = await startFakeBotApi({
        token: TEST_TOKEN,
        limits: { globalPerSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 },
      });
      const env = {
        BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        DATABASE_PATH: dbPath,
        REMINDER_CRON: '*/1 * * * * *',
      };

      // 1. First run: kill the whole process group mid-fan-out.
      first = new BotProcess(env, dir);
      await fake.waitForSent(KILL_AFTER, undefined, 30_000);
      await first.stop('SIGKILL');
      const startedByFirst = first;
      first = undefined;
      // Requests that reached the fake just before the kill are recorded by now.
      await sleep(100);
      const deliveredBeforeKill = sentPerChat(fake).size;

      reader = new Database(dbPath, { readonly: true, fileMustExist: true });
      const countStatus = (status: string) =>
        (
          reader!.prepare('SELECT count(*) AS n FROM deliveries WHERE status = ?').get(status) as {
            n: number;
          }
        ).n;
      const inFlightAtKill = countStatus('claimed');
      const recordedSentAtKill = countStatus('sent');
      expect(startedByFirst.stderr).toContain('reminder tick');
      // Restart at once, as a supervisor would: the lock must not mistake the killed (possibly
      // not yet reaped) process for a live one.
      // 2. Restart on the same database: stale claims released, the catch-up tick finishes the job.
      second = new BotProcess(env, dir);
      await until(
        'every bound group to receive the reminder',
        () => {
          if (second?.child.exitCode !== null) throw new Error('the restarted process exited');
          const counts = sentPerChat(fake!);
          return chats.every((chatId) => (counts.get(chatId) ?? 0) >= 1);
        },
        30_000,
      );
      // Settled: every delivery recorded as sent, nothing claimed.
      await until(
        'every delivery to be recorded as sent',
        () => countStatus('sent') === chats.length && countStatus('claimed') === 0,
        10_000,
      );
      expect(second.stderr).toContain('released reminder claims left in flight by the previous run');

      const settled = fake.sent().length;
      await sleep(3 * TICK_MS + 500);
      const afterMoreTicks = fake.sent().length;

      const counts = sentPerChat(fake);
      const perGroup = chats.map((chatId) => counts.get(chatId) ?? 0);
      const lost = perGroup.filter((n) => n === 0).length;
      const duplicates = perGroup.filter((n) => n >= 2).length;
      const tripled = perGroup.filter((n) => n > 2).length;
      const stats = fake.stats();
      console.info(
        `[crash-safety] groups ${chats.length}; delivered ${perGroup.filter((n) => n > 0).length} ` +
          `(${afterMoreTicks} messages); delivered before the kill ${deliveredBeforeKill}, ` +
          `recorded sent at the kill ${recordedSentAtKill} (so ${deliveredBeforeKill - recordedSentAtKill} reached Telegram unrecorded); ` +
          `in flight (claimed) at the kill ${inFlightAtKill}; ` +
          `duplicates ${duplicates}; lost ${lost}; >2 ${tripled}; 429s ${stats.tooManyRequests}; ` +
          `messages after settling ${afterMoreTicks - settled}`,
      );

      expect(lost).toBe(0);
      expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
      expect(tripled).toBe(0);
      expect(afterMoreTicks).toBe(settled);
      // Only reminders went out, one per group plus the duplicates.
      expect(afterMoreTicks).toBe(chats.length + duplicates);

      const last = second;
      second = undefined;
      await last.stop('SIGTERM');
      expect(last.stderr).toContain('"msg":"stopped"');
    } catch (err) {
      const tail = (p: BotProcess | undefined) => p?.stderr.split('\n').slice(-15).join('\n') ?? '';
      const missing = fake ? `sent to ${sentPerChat(fake).size} chats; ` : '';
      throw new Error(`${String(err)}\n${missing}restarted process log tail:\n${tail(second ?? first)}`);
    } finally {
      reader?.close();
      await first?.stop('SIGKILL');
      await second?.stop('SIGKILL');
      await fake?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 55_000);
});
