import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';
import type { UploadedFile } from '../support/fake-bot-api.js';

/**
 * Bindings are granted, not taken: a group admin's /bind is only a request that the prefecture's
 * coordinator approves; a coordinator's one-time invitation binds the group that uses it; until
 * then the group gets nothing and cannot acknowledge. Callbacks are decoded by one codec, every
 * one is answered, and forged or replayed ones are refused.
 */

const ADMIN = 10; // provincial admin
const ZHANGYE = 11; // city coordinator of 张掖市
const LANZHOU = 12; // city coordinator of 兰州市
const STRANGER = 13; // created a group and is its admin
const MEMBER = 14;
const STRANGER_GROUP = -1003000000001;
const REAL_GROUP = -1003000000002;
const OTHER_GROUP = -1003000000003;
const UNIT = '张掖中学';

let now = Date.parse('2026-11-20T10:00:00+08:00');
let h: BotHarness;
beforeEach(async () => {
  now = Date.parse('2026-11-20T10:00:00+08:00');
  h = await startBotHarness({ admins: [ADMIN], now: () => now });
  h.services.admin.grant({ id: ADMIN, channel: 'telegram' }, ZHANGYE, '张掖市');
  h.services.admin.grant({ id: ADMIN, channel: 'telegram' }, LANZHOU, '兰州市');
  h.fake.setChatMember(STRANGER_GROUP, STRANGER, 'creator');
  h.fake.setChatMember(REAL_GROUP, STRANGER, 'administrator');
});
afterEach(async () => {
  await h.close();
});

const textsTo = (chatId: number) => h.fake.sent(chatId).map((m) => String(m.text));
const lastTo = (chatId: number) => textsTo(chatId).at(-1) ?? '';
const buttonsOf = (m: { reply_markup?: unknown } | undefined) =>
  (
    (m?.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined)
      ?.inline_keyboard ?? []
  ).flat();
const answers = () => h.fake.callsOf('answerCallbackQuery').map((c) => String(c.params.text ?? ''));
const actions = () => h.ports.audit.recent(100).map((e) => e.action);
const unitId = () => h.services.answers.current().roster.units.find((u) => u.name === UNIT)!.id;
async function inGroup(chat: number, user: number, text: string) {
  await h.handle(h.fake.groupText(chat, user, text));
  return lastTo(chat);
}
async function privately(user: number, text: string) {
  await h.handle(h.fake.privateText(user, text));
  return lastTo(user);
}
/** Presses a button and returns the text the callback query was answered with. */
async function press(chat: number, user: number, data: string) {
  const before = answers().length;
  await h.handle(h.fake.callbackQuery(chat, user, data));
  expect(answers().length).toBe(before + 1);
  return answers().at(-1)!;
}
function addDeadline(audience: Parameters<BotHarness['services']['admin']['addDeadline']>[1]['audience']) {
  return h.services.admin.addDeadline(
    { id: ADMIN, channel: 'telegram' },
    {
      title: '年度总结',
      submit: null,
      dueAt: now + 2 * 3600_000,
      audience,
      offsets: ['3h'],
      source: null,
    },
  );
}

describe('a group admin’s /bind is a request', () => {
  it('binds nothing until the prefecture’s coordinator approves it with one tap', async () => {
    const reply = await inGroup(STRANGER_GROUP, STRANGER, `/bind ${UNIT}`);
    expect(reply).toContain('已提交绑定申请');
    expect(h.ports.bindings.ofChat(STRANGER_GROUP)).toEqual([]);
    expect(await inGroup(STRANGER_GROUP, MEMBER, '/whereami')).toContain('正在等待协调人批准');

    // The responsible coordinators (provincial admin, 张掖 coordinator) are asked; 兰州's is not.
    await h.fake.waitFor(() => textsTo(ZHANGYE).some((t) => t.includes('绑定申请')));
    await h.fake.waitFor(() => textsTo(ADMIN).some((t) => t.includes('绑定申请')));
    expect(textsTo(LANZHOU)).toEqual([]);
    const [approve, reject] = buttonsOf(h.fake.sent(ZHANGYE).at(-1)).map((b) => b.callback_data);

    // No reminder reaches the pending group, and it cannot acknowledge.
    const d = addDeadline({ kind: 'units', unitIds: [unitId()] });
    await h.services.reminders.tick(now);
    expect(textsTo(STRANGER_GROUP).some((t) => t.includes('⏰ 截止提醒'))).toBe(false);
    expect(await press(STRANGER_GROUP, STRANGER, `ack:${d.id}:${unitId()}`)).toContain('只有该单位已绑定');
    expect(h.ports.deadlines.acknowledgements(d.id)).toEqual([]);

    // The wrong city's coordinator, or the requester in a forged press, cannot approve.
    expect(await press(LANZHOU, LANZHOU, approve!)).toContain('只有该市州的试点协调人');
    expect(await press(STRANGER, STRANGER, approve!)).toContain('只有该市州的试点协调人');
    expect(h.ports.bindings.ofChat(STRANGER_GROUP)).toEqual([]);

    expect(await press(ZHANGYE, ZHANGYE, approve!)).toBe('已批准');
    expect(h.ports.bindings.ofChat(STRANGER_GROUP)).toMatchObject([{ kind: 'unit', unitId: unitId() }]);
    await h.fake.waitFor(() => textsTo(STRANGER_GROUP).some((t) => t.includes('协调人已批准')));
    // Decided once: a second press (approve or reject, by anyone) changes nothing.
    expect(await press(ADMIN, ADMIN, reject!)).toContain('已被批准');
    expect(h.ports.bindings.ofChat(STRANGER_GROUP)).toHaveLength(1);
    expect(actions()).toEqual(expect.arrayContaining(['binding.request', 'binding.approve', 'binding.bind']));
    const bind = h.ports.audit.recent(100).find((e) => e.action === 'binding.bind')!;
    expect(bind.actorId).toBe(ZHANGYE);
  });

  it('a rejected request binds nothing; /pending lists what waits, per prefecture', async () => {
    await inGroup(STRANGER_GROUP, STRANGER, '/bind 兰州');
    await inGroup(REAL_GROUP, STRANGER, `/bind ${UNIT}`);
    expect(await privately(LANZHOU, '/pending')).toContain('兰州市（市州群）');
    expect(textsTo(LANZHOU).join('\n')).not.toContain(UNIT);
    await privately(ADMIN, '/pending');
    const all = textsTo(ADMIN).join('\n');
    expect(all).toContain('兰州市（市州群）');
    expect(all).toContain(UNIT);
    const request = h.ports.requests.pending().find((r) => r.kind === 'city')!;
    const reject = buttonsOf(h.fake.sent(LANZHOU).at(-1)).find((b) => b.text.includes('拒绝'))!;
    expect(await press(LANZHOU, LANZHOU, reject.callback_data)).toBe('已拒绝');
    expect(h.ports.requests.get(request.id)?.status).toBe('rejected');
    expect(h.ports.bindings.ofChat(STRANGER_GROUP)).toEqual([]);
    expect(actions()).toContain('binding.reject');
    expect(await privately(MEMBER, '/pending')).toContain('只对试点协调人开放');
  });

  it('an ordinary member cannot even request; a coordinator binds at once in their prefecture only', async () => {
    expect(await inGroup(OTHER_GROUP, MEMBER, `/bind ${UNIT}`)).toContain('只有本群管理员或试点协调人');
    expect(h.ports.requests.pending()).toEqual([]);
    expect(await inGroup(OTHER_GROUP, LANZHOU, `/bind ${UNIT}`)).toContain('只有本群管理员或试点协调人');
    expect(await inGroup(OTHER_GROUP, ZHANGYE, `/bind ${UNIT}`)).toContain(`已绑定到：${UNIT}`);
  });
});

describe('revoking', () => {
  it('a coordinator removes a group’s binding from a private chat, in their prefecture only', async () => {
    await inGroup(REAL_GROUP, ZHANGYE, `/bind ${UNIT}`);
    expect(await privately(LANZHOU, `/unbind ${REAL_GROUP}`)).toContain('没有兰州市的绑定');
    expect(await privately(STRANGER, `/unbind ${REAL_GROUP}`)).toContain('只对试点协调人开放');
    expect(h.ports.bindings.ofChat(REAL_GROUP)).toHaveLength(1);
    expect(await privately(ZHANGYE, `/unbind ${REAL_GROUP}`)).toContain('已解除');
    expect(h.ports.bindings.ofChat(REAL_GROUP)).toEqual([]);
    const unbind = h.ports.audit.recent(100).find((e) => e.action === 'binding.unbind')!;
    expect(unbind.actorId).toBe(ZHANGYE);
  });
});

describe('invitations', () => {
  const codeOf = (text: string) => /startgroup=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

  it('bind the one group that uses the link, once, before it expires', async () => {
    expect(await privately(LANZHOU, `/invite ${UNIT}`)).toContain('只能为本市州');
    expect(await privately(STRANGER, `/invite ${UNIT}`)).toContain('只对试点协调人开放');
    const link = await privately(ZHANGYE, `/invite ${UNIT}`);
    expect(link).toContain(`https://t.me/${h.fake.botUser.username}?startgroup=`);
    const code = codeOf(link);
    expect(code.length).toBeGreaterThanOrEqual(20);
    // Only a hash is stored.
    const stored = h.db.$client.prepare('select * from invitations').all() as { code_hash: string }[];
    expect(JSON.stringify(stored)).not.toContain(code);

    expect(await inGroup(STRANGER_GROUP, STRANGER, '/start 0000000000000000000000')).toContain('无效');
    expect(await inGroup(REAL_GROUP, MEMBER, `/start ${code}`)).toContain(`已绑定到：${UNIT}`);
    expect(await inGroup(STRANGER_GROUP, STRANGER, `/start ${code}`)).toContain('已经用过');
    expect(h.ports.bindings.ofChat(STRANGER_GROUP)).toEqual([]);
    expect(h.ports.bindings.ofChat(REAL_GROUP)).toMatchObject([{ kind: 'unit', unitId: unitId() }]);

    const late = codeOf(await privately(ADMIN, '/invite 张掖'));
    now += 73 * 3600_000;
    expect(await inGroup(OTHER_GROUP, MEMBER, `/start ${late}`)).toContain('已过期');
    expect(h.ports.bindings.ofChat(OTHER_GROUP)).toEqual([]);
    expect(actions().filter((a) => a === 'binding.invite')).toHaveLength(2);
  });
});

describe('acknowledgements have provenance', () => {
  it('only the unit’s approved group, only for deadlines addressed to it; city coordinators get one digest', async () => {
    h.services.admin.bind(
      { id: ZHANGYE, channel: 'telegram' },
      { id: REAL_GROUP, threadId: 0, title: '张掖中学群' },
      { kind: 'unit', prefecture: '张掖市', unitId: unitId() },
    );
    const other = h.services.answers
      .current()
      .roster.units.find((u) => u.prefecture === '张掖市' && u.id !== unitId())!;
    h.services.admin.bind(
      { id: ZHANGYE, channel: 'telegram' },
      { id: OTHER_GROUP, threadId: 0, title: '另一单位群' },
      { kind: 'unit', prefecture: '张掖市', unitId: other.id },
    );
    const mine = addDeadline({ kind: 'units', unitIds: [unitId(), other.id] });
    const notMine = addDeadline({ kind: 'units', unitIds: [other.id] });
    await h.services.reminders.tick(now);
    const reminder = h.fake.sent(REAL_GROUP).find((m) => String(m.text).includes('⏰ 截止提醒'))!;
    const ack = buttonsOf(reminder)[0]!.callback_data;
    expect(ack).toBe(`1|a|${mine.id}|${unitId()}`);

    // Forged: another unit's group pressing this unit's button; a deadline not addressed to it.
    expect(await press(OTHER_GROUP, MEMBER, ack)).toContain('只有该单位已绑定');
    expect(await press(REAL_GROUP, MEMBER, `1|a|${notMine.id}|${unitId()}`)).toContain('不是发给本单位的');
    expect(h.ports.deadlines.acknowledgements()).toEqual([]);

    h.fake.setUser(MEMBER, { first_name: '王', last_name: '老师' });
    expect(await press(REAL_GROUP, MEMBER, ack)).toBe('已记录为完成。');
    expect(await press(REAL_GROUP, MEMBER, ack)).toBe('之前已经记录为完成。');
    expect(h.ports.deadlines.acknowledgements(mine.id)).toMatchObject([
      { unitId: unitId(), userId: MEMBER, userName: '王 老师', at: now, chatId: REAL_GROUP },
    ]);
    await press(OTHER_GROUP, MEMBER, `1|a|${mine.id}|${other.id}`);

    // /status and the XLSX export show who and when.
    const status = await privately(ZHANGYE, `/status ${mine.id}`);
    expect(status).toContain('张掖中学（王 老师 于 2026-11-20 10:00 标记）');
    await h.handle(h.fake.privateText(ZHANGYE, `/export ${mine.id}`));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((h.fake.sent(ZHANGYE).at(-1)!.document as UploadedFile).content as never);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    expect(rows).toContainEqual(['张掖市', UNIT, '已完成', '王 老师', String(MEMBER), '2026-11-20 10:00']);

    // One digest per tick to the city coordinator, with both marks; nothing to 兰州's.
    const before = textsTo(ZHANGYE).length;
    await h.services.reminders.tick(now + 60_000);
    await h.services.reminders.tick(now + 120_000);
    const digests = textsTo(ZHANGYE)
      .slice(before)
      .filter((t) => t.includes('新的完成标记'));
    expect(digests).toHaveLength(1);
    expect(digests[0]).toContain('（2 个）');
    expect(digests[0]).toContain('王 老师');
    expect(textsTo(LANZHOU).some((t) => t.includes('新的完成标记'))).toBe(false);
  });
});

describe('callbacks', () => {
  it('answers forged, malformed and outdated data with 按钮已过期', async () => {
    for (const data of ['', 'x', '1|a|1', '2|u|5', '1|u|99999999999', 'bc:abcdef', 'cancel', '1|c|!!']) {
      expect(await press(MEMBER, MEMBER, data)).toContain('按钮已过期，请重新查询');
    }
  });

  it('broadcast confirmations are single-use and 取消 invalidates them', async () => {
    await inGroup(REAL_GROUP, ADMIN, '/bind 张掖');
    await privately(ADMIN, '/broadcast 张掖 第一条');
    const [confirm1, cancel1] = buttonsOf(h.fake.sent(ADMIN).at(-1)).map((b) => b.callback_data);
    expect(await press(ADMIN, ADMIN, cancel1!)).toBe('已取消');
    expect(await press(ADMIN, ADMIN, confirm1!)).toContain('已失效');

    await privately(ADMIN, '/broadcast 张掖 第二条');
    const [confirm2] = buttonsOf(h.fake.sent(ADMIN).at(-1)).map((b) => b.callback_data);
    expect(await press(STRANGER, STRANGER, confirm2!)).toContain('已失效');
    expect(await press(ADMIN, ADMIN, confirm2!)).toBe('开始发送');
    expect(await press(ADMIN, ADMIN, confirm2!)).toContain('已失效');
    await h.fake.waitFor(() => textsTo(ADMIN).some((t) => t.includes('广播完成')));
    expect(textsTo(REAL_GROUP).filter((t) => t.includes('📢'))).toEqual(['📢 第二条']);
  });
});
