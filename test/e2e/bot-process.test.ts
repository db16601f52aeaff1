import type { InlineKeyboardMarkup } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, TEST_TOKEN } from '../support/bot-process.js';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.js';

const USER = 5001;
const GROUP = -1001234567890;

let fake: FakeBotApi;
let bot: BotProcess;

beforeAll(async () => {
  fake = await startFakeBotApi({ token: TEST_TOKEN });
  bot = new BotProcess({ BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.url }, undefined, { npm: true });
  await bot.waitForLog('long polling started');
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await fake?.close();
});

const texts = (chatId: number) => fake.sent(chatId).map((m) => String(m.text));

describe('the real bot process against a local fake Bot API', () => {
  it('registers its commands with Chinese descriptions', () => {
    const calls = fake.callsOf('setMyCommands');
    expect(calls.length).toBeGreaterThanOrEqual(1);
    const commands = calls[0]?.params.commands as { command: string; description: string }[];
    expect(commands.map((c) => c.command)).toEqual([
      'check',
      'units',
      'cities',
      'contact',
      'about',
      'help',
      'deadlines',
    ]);
    expect(commands[0]?.description).toMatch(/查询/);
  });

  it('answers a private chat', async () => {
    fake.privateText(USER, '兰州五十二中在名单里吗');
    await fake.waitForSent(1, USER);
    expect(texts(USER)[0]).toContain('名单全称：兰州市第五十二中学');
  });

  it('answers /check@botname in a group and ignores plain chatter', async () => {
    fake.groupText(GROUP, USER, '今天下午开会');
    fake.groupText(GROUP, USER, `/check@${fake.botUser.username} 西北师大`);
    await fake.waitForSent(1, GROUP);
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(GROUP)).toHaveLength(1);
    expect(texts(GROUP)[0]).toContain('名单全称：西北师范大学');
  });

  it('answers a button press for an ambiguous name', async () => {
    const before = fake.sent(USER).length;
    fake.privateText(USER, '/check 二小');
    const [message] = (await fake.waitForSent(before + 1, USER)).slice(before);
    const buttons = (message!.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
    expect(buttons).toHaveLength(3);
    fake.callbackQuery(USER, USER, (buttons[1] as { callback_data: string }).callback_data);
    await fake.waitForSent(before + 2, USER);
    expect(texts(USER).at(-1)).toContain('名单全称：庄浪县第二小学');
  });

  it('answers an inline query with articles', async () => {
    fake.inlineQuery(USER, '民主西路');
    await fake.waitFor((calls) => calls.some((c) => c.method === 'answerInlineQuery'));
    const [call] = fake.callsOf('answerInlineQuery');
    expect((call!.params.results as { title: string }[])[0]?.title).toBe('✅ 兰州市城关区民主西路小学');
  });

  it('survives hostile input and never sends more than 4096 characters', async () => {
    const before = fake.sent(USER).length;
    fake.privateText(USER, `\u202e${'🎉'.repeat(3000)}\u0000'; DROP TABLE units; --`);
    fake.privateText(USER, '张'.repeat(4000));
    await fake.waitForSent(before + 2, USER);
    expect(texts(USER).every((t) => t.length <= 4096)).toBe(true);
    fake.privateText(USER, '张掖中学');
    await fake.waitForSent(before + 3, USER);
    expect(texts(USER).at(-1)).toContain('名单全称：张掖中学');
  });

  it('sent only calls the Bot API spec allows (no unknown parameters or fields, valid UTF-8)', () => {
    expect(fake.specViolations()).toEqual([]);
  });

  it('serves GET /metrics on PORT in Prometheus format, counting what it just did', async () => {
    const port = Number(/"port":(\d+),"msg":"http listening/.exec(bot.stderr)?.[1]);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    const value = (name: string) =>
      Number(
        body
          .split('\n')
          .find((l) => l.startsWith(`${name} `))
          ?.split(' ')[1],
      );
    expect(value('kczm_updates_total{kind="message"}')).toBeGreaterThanOrEqual(3);
    expect(value('kczm_updates_total{kind="callback_query"}')).toBeGreaterThanOrEqual(1);
    expect(value('kczm_updates_total{kind="inline_query"}')).toBeGreaterThanOrEqual(1);
    expect(value('kczm_replies_total{outcome="sent"}')).toBeGreaterThanOrEqual(3);
    expect(value('kczm_reminder_ticks_total{result="ok"}')).toBeGreaterThanOrEqual(1);
    expect(value('kczm_send_queue_depth')).toBe(0);
    const lastPoll = value('kczm_last_get_updates_success_timestamp_seconds');
    expect(Date.now() / 1000 - lastPoll).toBeLessThan(60);
    expect(body).not.toContain(fake.token.split(':')[1]);
  });

  it('exits cleanly on SIGTERM', async () => {
    await bot.stop('SIGTERM');
    expect(bot.stderr).toContain('"msg":"stopped"');
    expect(bot.stderr).not.toContain(fake.token.split(':')[1]);
  });

  it('shuts down cleanly when only the npm process is signalled (npm start execs the bot)', async () => {
    const ownFake = await startFakeBotApi({ token: TEST_TOKEN });
    const second = new BotProcess({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: ownFake.url }, undefined, {
      npm: true,
    });
    try {
      await second.waitForLog('"msg":"ready"');
      const { code } = await second.stopMain('SIGTERM');
      expect(code).toBe(0);
      expect(second.stderr).toContain('"msg":"stopped"');
    } finally {
      await second.stop('SIGKILL');
      second.cleanup();
      await ownFake.close();
    }
  });

  it('refuses a second bot process on the same database', async () => {
    const ownFake = await startFakeBotApi({ token: TEST_TOKEN });
    const first = new BotProcess({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: ownFake.url });
    let second: BotProcess | undefined;
    try {
      await first.waitForLog('"msg":"ready"');
      second = new BotProcess({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: ownFake.url }, first.dir);
      const started = second;
      const { code } = await new Promise<{ code: number | null }>((resolve) =>
        started.child.on('close', (c) => resolve({ code: c })),
      );
      expect(code).toBe(75);
      expect(started.stderr).toMatch(/another bot process \(pid \d+ on .+\) is running on this database/);
    } finally {
      await second?.stop('SIGKILL');
      await first.stop('SIGTERM');
      first.cleanup();
      await ownFake.close();
    }
  });
});
