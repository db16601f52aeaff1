import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../support/bot-process.js';
import { cli } from '../support/cli.js';
import {
  COORDINATOR,
  checkLeaks,
  cleanUpAfterAll,
  HOUR,
  LONE_SURROGATE,
  leakChecks,
  prepare,
  reminders,
  sleep,
  startBot,
  startFake,
  texts,
  until,
} from '../support/faults.js';
import { columnValues } from '../support/leaks.js';

/**
 * The real bot process (as systemd runs it) under faults, against the fake Bot API: a malformed digest, a
 * chat that never answers, `reminders run --at` on the CLI.
 * Each scenario that prints or stores anything checks that the token reached no output stream and
 * no text column of the database. (The fault scenarios are split over test/e2e/faults-*.test.ts
 * so that vitest runs them side by side; test/support/faults.ts has what they share.)
 */

cleanUpAfterAll();

describe('the bot under faults: sends', () => {
  it('cuts button text between code points, and retries a rejected digest per deadline; what still fails is reported', async () => {
    const EMOJI_GROUP = -1001000000401;
    const REJECT_GROUP = -1001000000402;
    // "✅ 已完成：" is 6 code units: the emoji starts at unit 59 and `.slice(0, 60)` would halve it.
    const emojiTitle = `${'材'.repeat(53)}😀料提交`;
    const dir = prepare({
      groups: [
        { chatId: EMOJI_GROUP, unit: '五泉小学' },
        { chatId: REJECT_GROUP, unit: '民主西路小学' },
      ],
      deadlines: [{ title: emojiTitle }, { title: '第二项：照片' }],
    });
    const fake = await startFake();
    // The digest to REJECT_GROUP is refused, then its first plain retry (the emoji deadline) too.
    fake.failNext(
      'sendMessage',
      { kind: 'bad_request', description: "Bad Request: can't parse entities" },
      { chatId: REJECT_GROUP, times: 2 },
    );
    const bot = startBot(fake, dir);
    await bot.waitForLog('"msg":"ready"', 30_000);
    await until('the emoji group reminded', () => reminders(fake, EMOJI_GROUP).length === 1, 20_000);
    const message = fake.sent(EMOJI_GROUP).find((m) => String(m.text).includes('截止提醒'))!;
    const buttons = (message.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
    expect(buttons).toHaveLength(2);
    for (const b of buttons) expect(b.text).not.toMatch(LONE_SURROGATE);
    expect(buttons.map((b) => Object.keys(b).sort())).toEqual([
      ['callback_data', 'text'],
      ['callback_data', 'text'],
    ]);

    await until(
      'the coordinator told of the defect and the other deadline delivered',
      () =>
        texts(fake, COORDINATOR).some((t) => t.includes('未能发到群')) &&
        texts(fake, REJECT_GROUP).length > 0,
      20_000,
    );
    const delivered = texts(fake, REJECT_GROUP);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toContain('第二项：照片');
    expect(delivered[0]).not.toContain('😀');
    expect(texts(fake, COORDINATOR).find((t) => t.includes('未能发到群'))).toContain(String(REJECT_GROUP));
    expect(bot.stderr).toContain('defect: Telegram rejects this reminder even as plain text');
    const statuses = () =>
      columnValues(
        join(dir, 'bot.db'),
        `SELECT d.title || ':' || x.status FROM deliveries x JOIN deadlines d ON d.id = x.deadline_id WHERE x.chat_id = ${REJECT_GROUP} ORDER BY d.id`,
      );
    // The bot records the outcome just after Telegram answered it.
    await until(
      'both outcomes recorded',
      () => statuses().length === 2 && !statuses().some((x) => String(x).endsWith(':claimed')),
      10_000,
    );
    expect(statuses()).toEqual([`${emojiTitle}:failed`, '第二项：照片:sent']);
    await bot.stop('SIGTERM');
    checkLeaks('malformed digest', { botStdout: bot.stdout, botStderr: bot.stderr }, join(dir, 'bot.db'));
  }, 60_000);

  it('does not let one never-answering chat hold up the others; it is sent on a later tick', async () => {
    const HANG = -1001000000501;
    const OTHERS = [-1001000000502, -1001000000503, -1001000000504];
    const dir = prepare({
      groups: [HANG, ...OTHERS].map((chatId) => ({ chatId, city: '兰州市' })),
      deadlines: [{ title: '无响应测试' }],
    });
    const fake = await startFake();
    fake.blockChat(HANG, { kind: 'hang' });
    const bot = startBot(fake, dir, { TELEGRAM_TIMEOUT_SECONDS: '2' });
    await bot.waitForLog('"msg":"ready"', 30_000);
    await until(
      'the other groups reminded',
      () => OTHERS.every((g) => reminders(fake, g).length === 1),
      20_000,
    );
    // The hanging send is still open or has just timed out: it did not block the others.
    expect(reminders(fake, HANG)).toEqual([]);
    await bot.waitForLog('Telegram did not answer sendMessage within 2 s', 20_000);
    fake.unblockChat(HANG);
    await until('the hanging group reminded', () => reminders(fake, HANG).length === 1, 20_000);
    await sleep(2500);
    for (const g of [HANG, ...OTHERS]) expect(reminders(fake, g)).toHaveLength(1);
    await bot.stop('SIGTERM');
    checkLeaks('hanging chat', { botStdout: bot.stdout, botStderr: bot.stderr }, join(dir, 'bot.db'));
  }, 60_000);

  it('refuses `reminders run --at` in the future unless --dry-run or --force', async () => {
    const GROUP = -1001000000601;
    const dir = prepare({ groups: [{ chatId: GROUP, city: '兰州市' }] });
    const fake = await startFake();
    const env = { DATABASE_PATH: join(dir, 'bot.db'), BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.url };
    const due = Date.now() + 10 * 86400_000;
    const add = await cli(
      ['deadlines', 'add', '--title', '未来提醒', '--due', new Date(due).toISOString(), '--offsets', '3h'],
      { env },
    );
    expect(add.status).toBe(0);
    // A minute after the 3-hour reminder is due: what a rehearsal of that moment would send.
    const at = new Date(due - 3 * HOUR + 60_000).toISOString();
    const refused = await cli(['reminders', 'run', '--at', at], { env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is in the future');
    const dry = await cli(['reminders', 'run', '--at', at, '--dry-run', '--json'], { env });
    expect(dry.status).toBe(0);
    const preview = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      messages: { chatId: number; text: string }[];
    };
    expect(preview.messages.map((m) => m.chatId)).toEqual([GROUP]);
    expect(preview.messages[0]?.text).toContain('未来提醒');
    expect(fake.sent()).toEqual([]);
    expect(columnValues(join(dir, 'bot.db'), 'SELECT count(*) FROM deliveries')).toEqual([0]);
    const forced = await cli(['reminders', 'run', '--at', at, '--force', '--json'], { env });
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain('WARNING: --force');
    expect(JSON.parse(forced.stdout)).toEqual({
      sent: 1,
      failed: 0,
      deactivated: 0,
      migrated: 0,
      postponed: 0,
      announced: 0,
    });
    expect(reminders(fake, GROUP)).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
    checkLeaks('CLI', {
      refused: refused.stderr,
      dry: dry.stdout + dry.stderr,
      forced: forced.stdout + forced.stderr,
    });
  }, 90_000);

  it('found the token in no output stream and no text column in any scenario', () => {
    expect([...leakChecks.keys()]).toEqual(['malformed digest', 'hanging chat', 'CLI']);
    expect([...leakChecks.values()].flat()).toEqual([]);
  });
});
