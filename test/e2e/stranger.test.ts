import type { InlineKeyboardMarkup } from 'telegraf/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotProcess } from '../support/bot-process.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { sendAndWait, startLimitedFake, startRemindingBot, textsIn } from '../support/reminding-bot.js';

/**
 * The stranger scenario through the real process (as systemd runs it) and the fake Bot API: anyone can
 * create a group and be its admin, but binding it to a unit or city, reading progress and
 * acknowledging need a coordinator's grant; forged and replayed buttons are refused, and the
 * real unit group is still reminded.
 */

const COORDINATOR = 910;
const STRANGER = 911;
const TEACHER = 912;
const REAL_GROUP = -1004000000001; // 张掖中学's own group, bound through an invitation
const STRANGER_GROUP = -1004000000002;

let fake: FakeBotApi;
let bot: BotProcess;

beforeAll(async () => {
  fake = await startLimitedFake();
  fake.setChatMember(STRANGER_GROUP, STRANGER, 'creator');
  bot = startRemindingBot(fake, String(COORDINATOR));
  await bot.waitForLog('"msg":"ready"');
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await fake?.close();
});

const texts = (chatId: number) => textsIn(fake, chatId);
const send = (chatId: number, push: () => void) => sendAndWait(fake, chatId, push);
/** Presses a button; resolves with the text the bot answered the callback query with. */
async function press(chatId: number, userId: number, data: string): Promise<string> {
  const before = fake.callsOf('answerCallbackQuery').length;
  fake.callbackQuery(chatId, userId, data);
  await fake.waitFor(() => fake.callsOf('answerCallbackQuery').length > before, 10_000);
  return String(fake.callsOf('answerCallbackQuery').at(-1)?.params.text ?? '');
}

describe('a stranger', () => {
  let deadlineId = 0;
  let unitAck = '';

  it('binds nothing: the /bind is only a request, the coordinator is asked', async () => {
    const unit = await send(STRANGER_GROUP, () => fake.groupText(STRANGER_GROUP, STRANGER, '/bind 张掖中学'));
    expect(unit).toContain('已提交绑定申请');
    await send(STRANGER_GROUP, () => fake.groupText(STRANGER_GROUP, STRANGER, '/bind 张掖'));
    await fake.waitFor(() => texts(COORDINATOR).filter((t) => t.includes('绑定申请')).length >= 2, 10_000);
    expect(await send(STRANGER_GROUP, () => fake.groupText(STRANGER_GROUP, STRANGER, '/whereami'))).toContain(
      '本群还没有绑定',
    );
    // Forging the coordinator's approve button in a private chat is refused.
    const approve = (fake.sent(COORDINATOR).at(-1)!.reply_markup as InlineKeyboardMarkup).inline_keyboard
      .flat()
      .find((b) => b.text.includes('批准')) as { callback_data: string };
    expect(await press(STRANGER, STRANGER, approve.callback_data)).toContain('只有该市州的试点协调人');
  });

  it('the real unit group, bound through the coordinator’s invitation, is reminded; the stranger’s is not', async () => {
    const link = await send(COORDINATOR, () => fake.privateText(COORDINATOR, '/invite 张掖中学'));
    const code = /startgroup=([A-Za-z0-9_-]+)/.exec(link)?.[1] ?? '';
    expect(code).not.toBe('');
    expect(
      await send(REAL_GROUP, () =>
        fake.groupText(REAL_GROUP, TEACHER, `/start@${fake.botUser.username} ${code}`),
      ),
    ).toContain('已绑定到：张掖中学');
    // The link is used up: the stranger cannot reuse it.
    expect(
      await send(STRANGER_GROUP, () => fake.groupText(STRANGER_GROUP, STRANGER, `/start ${code}`)),
    ).toContain('已经用过');

    const due = new Date(Date.now() + 2 * 3600_000);
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Asia/Shanghai',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(due);
    const added = await send(COORDINATOR, () =>
      fake.privateText(COORDINATOR, `/newdeadline\n标题：陌生人测试\n截止：${local}\n对象：张掖\n提醒：3h`),
    );
    deadlineId = Number(/#(\d+)/.exec(added)?.[1]);
    expect(deadlineId).toBeGreaterThan(0);
    await fake.waitFor(() => texts(REAL_GROUP).some((t) => t.includes('陌生人测试')), 15_000);
    const reminder = fake.sent(REAL_GROUP).find((m) => String(m.text).includes('陌生人测试'))!;
    unitAck = (
      (reminder.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat()[0] as { callback_data: string }
    ).callback_data;
    // A few more ticks: still nothing for the stranger (no unit reminder, no city progress).
    await new Promise((r) => setTimeout(r, 2_500));
    expect(texts(STRANGER_GROUP).some((t) => t.includes('陌生人测试'))).toBe(false);
  });

  it('cannot acknowledge: forged, replayed and malformed buttons are refused and answered', async () => {
    const unitId = unitAck.split('|')[3];
    expect(await press(STRANGER_GROUP, STRANGER, unitAck)).toContain('只有该单位已绑定');
    expect(await press(STRANGER_GROUP, STRANGER, `ack:${deadlineId}:${unitId}`)).toContain(
      '只有该单位已绑定',
    );
    expect(await press(STRANGER_GROUP, STRANGER, 'ack:x')).toContain('按钮已过期，请重新查询');
    let status = await send(COORDINATOR, () => fake.privateText(COORDINATOR, `/status ${deadlineId}`));
    expect(status).toContain('已完成 0/');

    // The unit's own teacher marks it done; the stranger replaying that press changes nothing.
    expect(await press(REAL_GROUP, TEACHER, unitAck)).toBe('已记录为完成。');
    const undo = (
      fake.sent(REAL_GROUP).at(-1)!.reply_markup as InlineKeyboardMarkup
    ).inline_keyboard.flat()[0] as {
      callback_data: string;
    };
    expect(await press(STRANGER_GROUP, STRANGER, undo.callback_data)).toContain('只有该单位已绑定');
    status = await send(COORDINATOR, () => fake.privateText(COORDINATOR, `/status ${deadlineId}`));
    expect(status).toContain('已完成 1/');
    expect(status).toMatch(/张掖中学（.+ 于 \d{4}-\d\d-\d\d \d\d:\d\d 标记）/);
  });
});
