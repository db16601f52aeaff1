import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { units } from '../../src/db/schema.js';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';
import type { UploadedFile } from '../support/fake-bot-api.js';

/**
 * Every administrative command for each kind of user: a provincial admin, the city coordinator
 * of the right prefecture and of another one, and an ordinary user. Each change leaves an audit
 * entry.
 */

const ADMIN = 10;
const LANZHOU = 11; // city coordinator of 兰州市
const JIUQUAN = 12; // city coordinator of 酒泉市
const USER = 13;
const GROUP = -1002000000001;
const NOW = Date.parse('2026-11-20T10:00:00+08:00');

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness({ admins: [ADMIN], now: () => NOW });
  h.services.admin.grant({ id: ADMIN, channel: 'telegram' }, LANZHOU, '兰州市');
  h.services.admin.grant({ id: ADMIN, channel: 'telegram' }, JIUQUAN, '酒泉市');
});
afterEach(async () => {
  await h.close();
});

const lastTo = (chatId: number) => String(h.fake.sent(chatId).at(-1)?.text ?? '');
async function privately(userId: number, text: string): Promise<string> {
  await h.handle(h.fake.privateText(userId, text));
  return lastTo(userId);
}
async function inGroup(userId: number, text: string): Promise<string> {
  await h.handle(h.fake.groupText(GROUP, userId, text));
  return lastTo(GROUP);
}
const buttonsTo = (chatId: number) =>
  (
    h.fake.sent(chatId).at(-1)!.reply_markup as { inline_keyboard: { callback_data: string }[][] }
  ).inline_keyboard.flatMap((row) => row.map((b) => b.callback_data));
const actions = () => h.ports.audit.recent(100).map((e) => `${e.action} ${e.subject}`);

const SPEC = '/newdeadline\n标题：年度总结\n截止：2026-12-15 17:00\n对象：全部\n提醒：7,1';

describe('admin-only commands', () => {
  it.each([
    [SPEC, '✅ 已添加'],
    ['/broadcast 全部 你好', '没有已绑定的群'],
    ['/grant 77 天水', '已授权用户 77 为天水市协调人'],
    ['/revoke 12', '已撤销用户 12 的酒泉市协调人权限'],
    ['/audit', '操作记录'],
  ])('%s: admin may, coordinators and users may not', async (command, expected) => {
    for (const userId of [LANZHOU, JIUQUAN, USER]) {
      expect(await privately(userId, command)).toContain('只对试点协调人开放');
    }
    expect(await privately(ADMIN, command)).toContain(expected);
  });

  it('edits and deletes deadlines, with audit entries for each change', async () => {
    await privately(ADMIN, SPEC);
    const id = h.ports.deadlines.all().at(-1)!.id;
    expect(await privately(USER, `/editdeadline ${id}\n提醒：3`)).toContain('只对试点协调人开放');
    expect(await privately(ADMIN, `/editdeadline ${id}\n截止：2026-12-20 17:00`)).toContain(
      '2026-12-20 17:00',
    );
    expect(await privately(ADMIN, `/deldeadline ${id}`)).toContain('确定删除');
    const confirm = buttonsTo(ADMIN)[0]!;
    // Someone else pressing the admin's confirmation (forged into their own chat) changes nothing.
    await h.handle(h.fake.callbackQuery(USER, USER, confirm));
    expect(h.ports.deadlines.get(id)).not.toBeNull();
    await h.handle(h.fake.callbackQuery(ADMIN, ADMIN, confirm));
    expect(h.ports.deadlines.get(id)).toBeNull();
    expect(actions()).toEqual(
      expect.arrayContaining([
        `deadline.add deadline #${id}`,
        `deadline.edit deadline #${id}`,
        `deadline.remove deadline #${id}`,
      ]),
    );
    const edit = h.ports.audit.recent(100).find((e) => e.action === 'deadline.edit')!;
    expect(edit.actorId).toBe(ADMIN);
    expect((edit.before as { dueAt: number }).dueAt).toBe(Date.parse('2026-12-15T17:00:00+08:00'));
    expect((edit.after as { dueAt: number }).dueAt).toBe(Date.parse('2026-12-20T17:00:00+08:00'));
  });

  it('audits grants, revocations and broadcasts', async () => {
    await inGroup(ADMIN, '/bind 兰州');
    await privately(ADMIN, '/broadcast 兰州 周五前提交');
    const token = (
      h.fake.sent(ADMIN).at(-1)!.reply_markup as { inline_keyboard: { callback_data: string }[][] }
    ).inline_keyboard[0]![0]!.callback_data;
    await h.handle(h.fake.callbackQuery(ADMIN, ADMIN, token));
    await h.fake.waitFor(() => h.fake.sent(ADMIN).some((m) => String(m.text).includes('广播完成')));
    expect(h.fake.sent(GROUP).some((m) => String(m.text).includes('📢 周五前提交'))).toBe(true);
    expect(actions()).toEqual(
      expect.arrayContaining([
        'role.grant user 11',
        'role.grant user 12',
        `binding.bind chat ${GROUP}`,
        'broadcast.send broadcast',
      ]),
    );
  });
});

describe('city coordinators act in their own prefecture only', () => {
  it('/bind and /unbind: right city yes, wrong city and ordinary users no', async () => {
    expect(await inGroup(USER, '/bind 五泉小学')).toContain('只有本群管理员或试点协调人');
    expect(await inGroup(JIUQUAN, '/bind 五泉小学')).toContain('只有本群管理员或试点协调人');
    expect(await inGroup(LANZHOU, '/bind 五泉小学')).toContain('已绑定到：兰州市城关区五泉小学');
    expect(await inGroup(JIUQUAN, '/unbind')).toContain('只有本群管理员或该市州的试点协调人');
    expect(await inGroup(USER, '/unbind')).toContain('只有本群管理员或该市州的试点协调人');
    expect(await inGroup(LANZHOU, '/unbind')).toContain('已解除绑定');
    expect(actions()).toEqual(
      expect.arrayContaining([`binding.bind chat ${GROUP}`, `binding.unbind chat ${GROUP}`]),
    );
    const bind = h.ports.audit.recent(100).find((e) => e.action === 'binding.bind')!;
    expect(bind.actorId).toBe(LANZHOU);
  });

  it('/status shows a city coordinator only their prefecture', async () => {
    await privately(ADMIN, SPEC);
    const id = h.ports.deadlines.all().at(-1)!.id;
    expect(await privately(USER, `/status ${id}`)).toContain('只对试点协调人开放');
    const forLanzhou = await privately(LANZHOU, `/status ${id}`);
    expect(forLanzhou).toContain('【兰州市】');
    expect(forLanzhou).not.toContain('【酒泉市】');
    const forAdmin = await privately(ADMIN, `/status ${id}`);
    expect(forAdmin).toContain('【兰州市】');
    expect(forAdmin).toContain('【酒泉市】');
  });

  it('/groups lists a city coordinator only their prefecture', async () => {
    await inGroup(ADMIN, '/bind 酒泉');
    expect(await privately(JIUQUAN, '/groups')).toContain('酒泉市（市州群）');
    expect(await privately(LANZHOU, '/groups')).not.toContain('酒泉市');
    expect(await privately(USER, '/groups')).toContain('只对试点协调人开放');
  });
});

describe('unit contacts', () => {
  it('are shown to coordinators of the unit prefecture, never to the public', async () => {
    h.db
      .update(units)
      .set({ contactPerson: '张老师', contactPhone: '0931-0000000' })
      .where(eq(units.name, '兰州市城关区五泉小学'))
      .run();
    expect(await privately(ADMIN, '五泉小学')).toContain('张老师，0931-0000000');
    expect(await privately(LANZHOU, '/check 五泉小学')).toContain('张老师');
    expect(await privately(JIUQUAN, '五泉小学')).not.toContain('张老师');
    expect(await privately(USER, '五泉小学')).not.toContain('张老师');
    expect(await inGroup(ADMIN, '/check 五泉小学')).not.toContain('张老师');
  });
});

describe('/export', () => {
  it('sends admins the roster as XLSX; refuses city coordinators the roster and ordinary users everything', async () => {
    expect(await privately(USER, '/export')).toContain('只对试点协调人开放');
    expect(await privately(LANZHOU, '/export')).toContain('名单导出只对省级协调人开放');
    await h.handle(h.fake.privateText(ADMIN, '/export'));
    const doc = h.fake.sent(ADMIN).at(-1)!.document as UploadedFile;
    expect(doc.filename).toMatch(/^试点名单-.*\.xlsx$/);
    expect(doc.content.subarray(0, 2).toString()).toBe('PK');
  });

  it("sends a deadline's status, limited to a city coordinator's prefecture", async () => {
    await privately(ADMIN, SPEC);
    const id = h.ports.deadlines.all().at(-1)!.id;
    await h.handle(h.fake.privateText(LANZHOU, `/export ${id}`));
    const sent = h.fake.sent(LANZHOU).at(-1)!;
    expect(String(sent.caption)).toContain('已完成 0/15');
    await h.handle(h.fake.privateText(ADMIN, `/export ${id}`));
    expect(String(h.fake.sent(ADMIN).at(-1)!.caption)).toContain('已完成 0/77');
  });
});
