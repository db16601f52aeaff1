import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';

/** Reminder ticks through the bot's services and the fake Bot API, with a fixed clock. */

const ADMIN = 20;
const FORUM = -1003000000001;
const TOPIC = 77;
const GROUP = -1003000000002;
const NOW = Date.parse('2026-12-08T09:00:30+08:00');

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness({ admins: [ADMIN], now: () => NOW });
  h.fake.setChatMember(FORUM, ADMIN, 'administrator');
  h.fake.setChatMember(GROUP, ADMIN, 'administrator');
});
afterEach(async () => {
  await h.close();
});

function addDeadline(audience: Parameters<BotHarness['services']['admin']['addDeadline']>[1]['audience']) {
  return h.services.admin.addDeadline(
    { id: ADMIN, channel: 'telegram' },
    {
      title: '年度总结',
      submit: '总结报告',
      dueAt: Date.parse('2026-12-15T17:00:00+08:00'),
      audience,
      offsets: ['7d', '3d', '1d', '0d'],
      source: null,
    },
  );
}

describe('reminder delivery', () => {
  it('keeps the forum topic a group was bound in', async () => {
    await h.handle(h.fake.groupText(FORUM, ADMIN, '/bind 张掖中学', { threadId: TOPIC }));
    expect(h.ports.bindings.ofChat(FORUM)[0]?.threadId).toBe(TOPIC);
    addDeadline({ kind: 'all_units' });
    const summary = await h.services.reminders.tick(NOW);
    expect(summary.sent).toBe(1);
    const reminder = h.fake.sent(FORUM).at(-1)!;
    expect(String(reminder.text)).toContain('📌 年度总结');
    expect(reminder.message_thread_id).toBe(TOPIC);
    // The same tick again sends nothing.
    expect((await h.services.reminders.tick(NOW)).sent).toBe(0);
  });

  it('marks a group inactive on 403 and tells the coordinators; nothing more is sent there', async () => {
    await h.handle(h.fake.groupText(GROUP, ADMIN, '/bind 兰州'));
    addDeadline({ kind: 'prefecture', prefecture: '兰州市' });
    h.fake.blockChat(GROUP, {
      kind: 'forbidden',
      description: 'Forbidden: bot was kicked from the supergroup chat',
    });
    const summary = await h.services.reminders.tick(NOW);
    expect(summary).toMatchObject({ sent: 0, failed: 1, deactivated: 1 });
    expect(h.ports.bindings.ofChat(GROUP)[0]).toMatchObject({ active: false });
    expect(String(h.fake.sent(ADMIN).at(-1)?.text)).toContain('已停止接收提醒');
    h.fake.unblockChat(GROUP);
    addDeadline({ kind: 'all_units' });
    expect((await h.services.reminders.tick(NOW)).sent).toBe(0);
  });

  it('gives a reminder back after a long retry_after and sends it on a later tick', async () => {
    await h.handle(h.fake.groupText(GROUP, ADMIN, '/bind 兰州'));
    addDeadline({ kind: 'prefecture', prefecture: '兰州市' });
    h.fake.failNext('sendMessage', { kind: 'retry_after', seconds: 3600 }, { chatId: GROUP });
    expect(await h.services.reminders.tick(NOW)).toMatchObject({ sent: 0, retried: 1 });
    expect(h.ports.bindings.ofChat(GROUP)[0]?.lastError).toContain('3600');
  });

  it('sends one digest when two deadlines are due for the same group', async () => {
    await h.handle(h.fake.groupText(GROUP, ADMIN, '/bind 兰州'));
    addDeadline({ kind: 'prefecture', prefecture: '兰州市' });
    addDeadline({ kind: 'all_units' });
    const before = h.fake.sent(GROUP).length;
    expect((await h.services.reminders.tick(NOW)).sent).toBe(1);
    const digest = h.fake.sent(GROUP).slice(before);
    expect(digest).toHaveLength(1);
    expect(String(digest[0]?.text).match(/📌 年度总结/g)).toHaveLength(2);
  });
});
