import type { InlineKeyboardMarkup } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/bot-process.js';
import { cli } from '../support/cli.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { sendAndWait, startLimitedFake, startRemindingBot, textsIn } from '../support/reminding-bot.js';

/**
 * Binding, deadlines and reminders through the real bot process (as systemd runs it) and the CLI,
 * against a local fake Bot API that enforces Telegram's limits.
 */

const COORDINATOR = 900;
const ADMIN = 901;
const MEMBER = 902;
const CITY_GROUP = -1001000000001; // 兰州 city group
const UNIT_GROUP = -1001000000002; // 五泉小学
const ANON_GROUP = -1001000000003; // 张掖中学, bound by an anonymous admin
const KICK_GROUP = -1001000000004; // 民主西路小学, will kick the bot
const OLD_GROUP = -5005; // 伏龙坪小学, a basic group that becomes a supergroup
const NEW_GROUP = -1001000000005;

let fake: FakeBotApi;
let bot: BotProcess;

beforeAll(async () => {
  fake = await startLimitedFake();
  for (const chat of [CITY_GROUP, UNIT_GROUP, KICK_GROUP, OLD_GROUP])
    fake.setChatMember(chat, ADMIN, 'administrator');
  bot = startRemindingBot(fake, String(COORDINATOR));
  await bot.waitForLog('"msg":"ready"');
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await fake?.close();
});

const texts = (chatId: number) => textsIn(fake, chatId);
const lastText = (chatId: number) => texts(chatId).at(-1) ?? '';
const send = (chatId: number, push: () => void) => sendAndWait(fake, chatId, push);

/** The coordinator approves the newest binding request with its button; returns what the group is told. */
async function approveLatestRequest(groupId: number): Promise<string> {
  await fake.waitFor(() =>
    fake.sent(COORDINATOR).some((m) => String(m.text).includes(`（${groupId}`) && m.reply_markup),
  );
  const request = fake
    .sent(COORDINATOR)
    .filter((m) => String(m.text).includes(`（${groupId}`) && m.reply_markup)
    .at(-1)!;
  const approve = (request.reply_markup as InlineKeyboardMarkup).inline_keyboard
    .flat()
    .find((b) => b.text.includes('批准')) as { callback_data: string };
  return send(groupId, () => fake.callbackQuery(COORDINATOR, COORDINATOR, approve.callback_data));
}

describe('binding groups', () => {
  it('refuses /bind from an ordinary member', async () => {
    const reply = await send(CITY_GROUP, () => fake.groupText(CITY_GROUP, MEMBER, '/bind 兰州'));
    expect(reply).toContain('只有本群管理员或试点协调人可以申请绑定');
  });

  it('binds for a coordinator at once; a group admin’s or anonymous admin’s /bind waits for approval', async () => {
    expect(await send(CITY_GROUP, () => fake.groupText(CITY_GROUP, ADMIN, '/bind 兰州'))).toContain(
      '已提交绑定申请：兰州市（市州群）',
    );
    expect(await approveLatestRequest(CITY_GROUP)).toContain('已绑定到 兰州市（市州群）');
    expect(
      await send(ANON_GROUP, () =>
        fake.groupText(ANON_GROUP, 1087968824, '/bind 张掖中学', {
          senderChat: { id: ANON_GROUP, type: 'supergroup' },
        }),
      ),
    ).toContain('已提交绑定申请：张掖中学');
    expect(await approveLatestRequest(ANON_GROUP)).toContain('张掖中学');
    expect(await send(UNIT_GROUP, () => fake.groupText(UNIT_GROUP, COORDINATOR, '/bind 五泉小学'))).toContain(
      '已绑定到：兰州市城关区五泉小学',
    );
    await send(KICK_GROUP, () =>
      fake.groupText(KICK_GROUP, ADMIN, `/bind@${fake.botUser.username} 民主西路小学`),
    );
    expect(await approveLatestRequest(KICK_GROUP)).toContain('兰州市城关区民主西路小学');
  });

  it('offers buttons for an ambiguous name and requests the pressed unit', async () => {
    await send(OLD_GROUP, () => fake.groupText(OLD_GROUP, ADMIN, '/bind 城关小学'));
    const offer = fake.sent(OLD_GROUP).at(-1)!;
    const buttons = (offer.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual([
      '两当县城关小学（陇南市）',
      '静宁县城关小学（平凉市）',
      '临泽县城关小学（张掖市）',
    ]);
    const data = (buttons[1] as { callback_data: string }).callback_data;
    // A member's press is refused; the admin's files a request.
    fake.callbackQuery(OLD_GROUP, MEMBER, data);
    await fake.waitFor((calls) =>
      calls.some(
        (c) => c.method === 'answerCallbackQuery' && String(c.params.text).includes('只有本群管理员'),
      ),
    );
    expect(await send(OLD_GROUP, () => fake.callbackQuery(OLD_GROUP, ADMIN, data))).toContain(
      '静宁县城关小学',
    );
    expect(await approveLatestRequest(OLD_GROUP)).toContain('静宁县城关小学');
    // Re-binding is a new request; approved, it replaces the binding.
    await send(OLD_GROUP, () => fake.groupText(OLD_GROUP, ADMIN, '/bind 伏龙坪小学'));
    expect(await approveLatestRequest(OLD_GROUP)).toContain('兰州市城关区伏龙坪小学');
    const where = await send(OLD_GROUP, () => fake.groupText(OLD_GROUP, MEMBER, '/whereami'));
    expect(where).toContain('伏龙坪小学');
    expect(where).not.toContain('静宁县');
  });

  it('lists the groups on the CLI', async () => {
    const { stdout, status } = await cli(['groups', 'list', '--json'], {
      env: { DATABASE_PATH: `${bot.dir}/bot.db` },
    });
    expect(status).toBe(0);
    const groups = JSON.parse(stdout) as { chatId: number; kind: string; name: string; active: boolean }[];
    expect(groups).toEqual(
      expect.arrayContaining([
        { chatId: CITY_GROUP, kind: 'city', name: '兰州市', active: true },
        { chatId: ANON_GROUP, kind: 'unit', name: '张掖中学', active: true },
      ]),
    );
  });
});

describe('deadlines and reminders', () => {
  it('refuses coordinator commands to everyone else', async () => {
    expect(await send(MEMBER, () => fake.privateText(MEMBER, '/newdeadline'))).toContain(
      '只对试点协调人开放',
    );
  });

  it('shows a Chinese error with an example for a bad spec', async () => {
    const reply = await send(COORDINATOR, () =>
      fake.privateText(COORDINATOR, '/newdeadline\n标题：年度总结\n截止：明天'),
    );
    expect(reply).toContain('截止时间「明天」看不懂');
    expect(reply).toContain('示例');
  });

  it('delivers a due reminder once to each bound group of the audience, with 已完成 in unit groups', async () => {
    const due = new Date(Date.now() + 2 * 3600_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(due);
    const reply = await send(COORDINATOR, () =>
      fake.privateText(
        COORDINATOR,
        `/newdeadline\n标题：年度工作总结\n截止：${local}\n对象：兰州\n提交：工作总结报告\n提醒：3h`,
      ),
    );
    expect(reply).toContain('✅ 已添加');
    const reminded = (chat: number) => texts(chat).some((t) => t.includes('⏰ 截止提醒'));
    await fake.waitFor(() => [CITY_GROUP, UNIT_GROUP, KICK_GROUP, OLD_GROUP].every(reminded), 15_000);
    for (const chat of [CITY_GROUP, UNIT_GROUP, KICK_GROUP, OLD_GROUP]) {
      expect(texts(chat).filter((t) => t.includes('⏰ 截止提醒'))).toHaveLength(1);
    }
    expect(texts(ANON_GROUP).some((t) => t.includes('年度工作总结'))).toBe(false);
    expect(lastText(CITY_GROUP)).toContain('本市州进度：0/15 个单位已完成');
    const unitReminder = fake.sent(UNIT_GROUP).at(-1)!;
    expect(String(unitReminder.text)).toContain('需提交：工作总结报告');
    const buttons = (unitReminder.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
    expect(buttons[0]?.text).toContain('已完成');

    // Several more ticks: nothing is sent twice.
    await new Promise((r) => setTimeout(r, 2500));
    for (const chat of [CITY_GROUP, UNIT_GROUP]) {
      expect(texts(chat).filter((t) => t.includes('⏰ 截止提醒'))).toHaveLength(1);
    }

    // A member of the unit group marks it done.
    const data = (buttons[0] as { callback_data: string }).callback_data;
    expect(await send(UNIT_GROUP, () => fake.callbackQuery(UNIT_GROUP, MEMBER, data))).toContain(
      '兰州市城关区五泉小学 已完成「年度工作总结」',
    );
    expect(await send(UNIT_GROUP, () => fake.groupText(UNIT_GROUP, MEMBER, '/deadlines'))).toContain(
      '本单位已完成',
    );
  });

  it('deactivates a group that kicked the bot and tells the coordinator', async () => {
    fake.myChatMember(KICK_GROUP, 'kicked', ADMIN);
    await fake.waitFor(
      () => fake.sent(COORDINATOR).some((m) => String(m.text).includes('已被移出群')),
      10_000,
    );
    const { stdout } = await cli(['groups', 'list', '--json'], {
      env: { DATABASE_PATH: `${bot.dir}/bot.db` },
    });
    const kicked = (JSON.parse(stdout) as { chatId: number; active: boolean }[]).find(
      (g) => g.chatId === KICK_GROUP,
    );
    expect(kicked?.active).toBe(false);
  });

  it('moves a migrated group and resends there once', async () => {
    fake.failNext('sendMessage', { kind: 'migrate', toChatId: NEW_GROUP }, { chatId: OLD_GROUP });
    fake.setChatMember(NEW_GROUP, ADMIN, 'administrator');
    const due = new Date(Date.now() + 2 * 3600_000).toISOString();
    const added = await cli(
      [
        'deadlines',
        'add',
        '--title',
        '迁移测试',
        '--due',
        due,
        '--audience',
        'unit:兰州市城关区伏龙坪小学',
        '--offsets',
        '3h',
        '--json',
      ],
      { env: { DATABASE_PATH: `${bot.dir}/bot.db` } },
    );
    expect(added.status).toBe(0);
    await fake.waitFor(() => texts(NEW_GROUP).some((t) => t.includes('迁移测试')), 15_000);
    expect(texts(NEW_GROUP).filter((t) => t.includes('迁移测试'))).toHaveLength(1);
    const { stdout } = await cli(['groups', 'list', '--json'], {
      env: { DATABASE_PATH: `${bot.dir}/bot.db` },
    });
    const chats = (JSON.parse(stdout) as { chatId: number }[]).map((g) => g.chatId);
    expect(chats).toContain(NEW_GROUP);
    expect(chats).not.toContain(OLD_GROUP);
  });

  it('sent only calls the Bot API spec allows (no unknown parameters or fields, valid UTF-8)', () => {
    expect(fake.specViolations()).toEqual([]);
  });

  it('plans future reminders on the CLI', async () => {
    const from = new Date().toISOString();
    const to = new Date(Date.now() + 30 * 86400_000).toISOString();
    const { stdout, status } = await cli(['reminders', 'plan', '--from', from, '--to', to, '--json'], {
      env: { DATABASE_PATH: `${bot.dir}/bot.db` },
    });
    expect(status).toBe(0);
    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
  });
});
