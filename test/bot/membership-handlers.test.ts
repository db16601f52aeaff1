import type { InlineKeyboardMarkup } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';

const USER = 1001;
const GROUP = -100123;

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness();
});
afterEach(async () => {
  await h.close();
});

const texts = (chatId: number) => h.fake.sent(chatId).map((m) => String(m.text));

describe('private chat', () => {
  it('answers a free-text membership question with the official name', async () => {
    await h.handle(h.fake.privateText(USER, '请问民主西路小学是试点吗？'));
    const [reply] = texts(USER);
    expect(reply).toContain('✅ 是试点单位');
    expect(reply).toContain('兰州市城关区民主西路小学');
  });

  it('says plainly when a school is not a pilot', async () => {
    await h.handle(h.fake.privateText(USER, '兰州市第五十一中学'));
    expect(texts(USER)[0]).toMatch(/不在试点单位名单中/);
  });

  it.each([
    ['/start', '可以直接发消息问我'],
    ['/help', '/check 单位名'],
    ['/cities', '临夏回族自治州'],
    ['/contact', '0931-6184271'],
    ['/about', '科教资源共建共享'],
    ['/units 酒泉', '酒泉市共有 6 个试点单位'],
    ['/check　临洮三实小', '临洮县第三实验小学'],
    ['/check', '请在 /check 后面写上单位名称'],
  ])('%s', async (command, expected) => {
    await h.handle(h.fake.privateText(USER, command));
    expect(texts(USER).join('\n')).toContain(expected);
  });

  it('offers buttons for an ambiguous name, and a press answers for that unit', async () => {
    await h.handle(h.fake.privateText(USER, '/check 城关小学'));
    const [message] = h.fake.sent(USER);
    const keyboard = (message!.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
    expect(keyboard.map((b) => b.text)).toEqual([
      '两当县城关小学（陇南市）',
      '静宁县城关小学（平凉市）',
      '临泽县城关小学（张掖市）',
    ]);
    const data = (keyboard[1] as { callback_data: string }).callback_data;
    await h.handle(h.fake.callbackQuery(USER, USER, data));
    expect(h.fake.callsOf('answerCallbackQuery')).toHaveLength(1);
    expect(texts(USER).at(-1)).toContain('名单全称：静宁县城关小学');
  });

  it('tells the user when a pressed unit has left the roster', async () => {
    await h.handle(h.fake.callbackQuery(USER, USER, 'u:99999'));
    const [call] = h.fake.callsOf('answerCallbackQuery');
    expect(call?.params.text).toContain('名单已更新');
    expect(h.fake.sent(USER)).toHaveLength(0);
  });

  it('splits the full roster into messages within the 4096 limit', async () => {
    await h.handle(h.fake.privateText(USER, '/units 甘肃'));
    const all = texts(USER);
    expect(all.every((t) => t.length <= 4096)).toBe(true);
    expect(all.join('\n')).toContain('张掖中学');
    expect(all.join('\n')).toContain('甘肃科技馆');
  });

  it('answers a 10,000-character message within the limit', async () => {
    await h.handle(h.fake.privateText(USER, `张掖中学${'啊'.repeat(10_000)}`));
    const [reply] = texts(USER);
    expect(reply).toBeDefined();
    expect(reply!.length).toBeLessThanOrEqual(4096);
  });
});

describe('groups', () => {
  it('answers /check@botname as a reply to the asking message', async () => {
    const update = h.fake.groupText(GROUP, USER, `/check@${h.fake.botUser.username} 张掖中学`);
    await h.handle(update);
    const [message] = h.fake.sent(GROUP);
    expect(String(message?.text)).toContain('名单全称：张掖中学');
    expect(message?.reply_parameters).toMatchObject({ message_id: update.message.message_id });
  });

  it('answers an @mention and a reply to the bot', async () => {
    await h.handle(h.fake.groupText(GROUP, USER, `@${h.fake.botUser.username} 临夏州是试点城市吗`));
    expect(texts(GROUP)[0]).toContain('临夏回族自治州（临夏州）是试点城市');
    await h.handle(h.fake.groupText(GROUP, USER, '那金昌市呢', { replyToBot: true }));
    expect(texts(GROUP)[1]).toContain('金昌市不是试点城市');
  });

  it('stays silent on other chatter', async () => {
    await h.handle(h.fake.groupText(GROUP, USER, '张掖中学今天开会吗'));
    await h.handle(h.fake.groupText(GROUP, USER, '大家好'));
    expect(h.fake.sent(GROUP)).toHaveLength(0);
  });
});

describe('inline mode', () => {
  it('returns the answer as an article', async () => {
    await h.handle(h.fake.inlineQuery(USER, '民主西路'));
    const [call] = h.fake.callsOf('answerInlineQuery');
    const results = call?.params.results as {
      title: string;
      input_message_content: { message_text: string };
    }[];
    expect(results[0]?.title).toBe('✅ 兰州市城关区民主西路小学');
    expect(results[0]?.input_message_content.message_text).toContain('是试点单位');
  });

  it('returns one article per candidate for an ambiguous name', async () => {
    await h.handle(h.fake.inlineQuery(USER, '三中'));
    const [call] = h.fake.callsOf('answerInlineQuery');
    const results = call?.params.results as { title: string }[];
    expect(results.map((r) => r.title)).toEqual([
      '✅ 金昌市第三中学',
      '✅ 酒泉市第三中学',
      '✅ 金塔县第三中学',
      '✅ 玉门市第三中学',
    ]);
  });
});
