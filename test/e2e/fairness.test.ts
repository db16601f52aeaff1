import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { deadlines } from '../../src/db/schema.js';
import { seedFromFiles } from '../../src/db/seed.js';
import { BotProcess, TEST_TOKEN } from '../support/bot-process.js';
import { bindManyGroups } from '../support/bulk-bindings.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { startLimitedFake } from '../support/reminding-bot.js';
import { DATA_DIR } from '../support/roster.js';
import { tempDir } from '../support/tmp.js';

/**
 * Replies first, through the real process and the fake Bot API enforcing Telegram's limits: a
 * question asked during a reminder fan-out is answered before the queued reminders. Counts and
 * order only. (Fair use under a flood: fairness-flood.test.ts, with a bot of its own, so the two
 * run side by side.)
 */

const GROUPS = 240;
const FIRST_CHAT_ID = -1_005_000_000_000;
const ASKER = 921;
const HOUR = 3_600_000;

let fake: FakeBotApi;
let bot: BotProcess;
let groups: number[];

beforeAll(async () => {
  fake = await startLimitedFake();
  // The database is ready before the bot starts: bulk writes beside a starting bot could hold
  // the write lock through its migrations on a loaded machine.
  const dir = tempDir('kczm-bot-');
  const db = openDatabase(join(dir, 'bot.db'));
  try {
    seedFromFiles(db, DATA_DIR);
    groups = bindManyGroups(db, 40, GROUPS - 40, FIRST_CHAT_ID);
  } finally {
    db.$client.close();
  }
  bot = new BotProcess(
    {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      ADMIN_USER_IDS: '1',
      // The tick is started by the test (a deadline added below), not at start-up.
      REMINDER_CRON: '*/1 * * * * *',
    },
    dir,
  );
  await bot.waitForLog('"msg":"ready"');
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await fake?.close();
});

const sends = () => fake.callsOf('sendMessage').filter((c) => c.status === 200);
const isGroup = (chatId: unknown) => Number(chatId) < 0;

describe('replies first', () => {
  it('answers a private question during a fan-out before the queued reminders', async () => {
    const db = openDatabase(join(bot.dir, 'bot.db'));
    try {
      db.insert(deadlines)
        .values({
          title: '公平性测试',
          submit: null,
          dueAt: Date.now() + 2 * HOUR - 1_000,
          audience: { kind: 'all_units' },
          offsets: ['2h'],
          source: null,
        })
        .run();
    } finally {
      db.$client.close();
    }
    // Once the fan-out is under way (30 groups reached), ask.
    await fake.waitFor(() => sends().filter((c) => isGroup(c.params.chat_id)).length >= 30, 20_000);
    const remindersBefore = sends().filter((c) => isGroup(c.params.chat_id)).length;
    fake.privateText(ASKER, '张掖中学是试点吗');
    await fake.waitForSent(1, ASKER, 20_000);
    const all = sends();
    const answerAt = all.findIndex((c) => c.params.chat_id === ASKER);
    const remindersUntilAnswer = all.slice(0, answerAt).filter((c) => isGroup(c.params.chat_id)).length;
    // Only what was in flight or already paced when the question arrived went first.
    expect(remindersUntilAnswer - remindersBefore).toBeLessThanOrEqual(10);
    // The fan-out itself completes: every group once, nothing lost or doubled.
    await fake.waitFor(
      () => sends().filter((c) => isGroup(c.params.chat_id)).length >= groups.length,
      30_000,
    );
    const perGroup = new Map<number, number>();
    for (const c of sends())
      if (isGroup(c.params.chat_id))
        perGroup.set(Number(c.params.chat_id), (perGroup.get(Number(c.params.chat_id)) ?? 0) + 1);
    expect(groups.every((g) => perGroup.get(g) === 1)).toBe(true);
    expect(fake.stats().tooManyRequests).toBe(0);
  }, 60_000);
});
