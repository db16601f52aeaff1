import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCallback } from '../../src/bot/callback-data.js';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';

/**
 * What Telegram does to a bound group reaches the bindings through audited use cases: the bot
 * removed (reminders stop, the provincial coordinators are told), added back (they resume), the
 * group upgraded to a supergroup (binding and pending requests follow it). 已完成 marks are
 * audited with who made them.
 */

const ADMIN = 10;
const OWNER = 13;
const MEMBER = 14;
const GROUP = -4001;
const SUPERGROUP = -1004001;
const OTHER = -4002;

let h: BotHarness;
const now = Date.parse('2026-11-20T10:00:00+08:00');
beforeEach(async () => {
  h = await startBotHarness({ admins: [ADMIN], now: () => now });
  h.fake.setChatMember(OTHER, OWNER, 'creator');
});
afterEach(async () => {
  await h.close();
});

const audit = (action: string) => h.ports.audit.recent(100).filter((e) => e.action === action);
const unit = () => h.services.answers.current().roster.units.find((u) => u.name === '张掖中学')!;
function bindUnitGroup(chatId: number) {
  h.services.admin.bind(
    { id: ADMIN, channel: 'telegram' },
    { id: chatId, threadId: 0, title: '张掖中学群' },
    { kind: 'unit', prefecture: '张掖市', unitId: unit().id },
  );
}

describe('group lifecycle', () => {
  it('the bot removed from a bound group: reminders stop, admins are told, the change is audited; back again resumes', async () => {
    bindUnitGroup(GROUP);
    await h.handle(h.fake.myChatMember(GROUP, 'kicked', OWNER));
    expect(h.ports.bindings.ofChat(GROUP)).toMatchObject([{ active: false }]);
    await h.fake.waitFor(() => h.fake.sent(ADMIN).some((m) => String(m.text).includes('已被移出群')));
    expect(audit('binding.deactivate')).toMatchObject([{ actorId: OWNER, subject: `chat ${GROUP}` }]);

    await h.handle(h.fake.myChatMember(GROUP, 'member', OWNER));
    expect(h.ports.bindings.ofChat(GROUP)).toMatchObject([{ active: true }]);
    expect(audit('binding.reactivate')).toMatchObject([{ actorId: OWNER, subject: `chat ${GROUP}` }]);
  });

  it('removing the bot from an unbound group changes and records nothing', async () => {
    await h.handle(h.fake.myChatMember(OTHER, 'left', OWNER));
    expect(audit('binding.deactivate')).toEqual([]);
    expect(h.fake.sent(ADMIN)).toEqual([]);
  });

  it('a group upgraded to a supergroup keeps its binding and pending request under the new id, audited', async () => {
    bindUnitGroup(GROUP);
    await h.handle(h.fake.groupText(OTHER, OWNER, '/bind 兰州'));
    expect(h.ports.requests.pending()).toMatchObject([{ chatId: OTHER }]);

    await h.handle(h.fake.migrateMessage(GROUP, SUPERGROUP));
    expect(h.ports.bindings.ofChat(GROUP)).toEqual([]);
    expect(h.ports.bindings.ofChat(SUPERGROUP)).toMatchObject([
      { kind: 'unit', unitId: unit().id, active: true },
    ]);
    expect(audit('binding.migrate')).toMatchObject([
      { subject: `chat ${GROUP}`, before: { chatId: GROUP }, after: { chatId: SUPERGROUP } },
    ]);

    await h.handle(h.fake.migrateMessage(OTHER, SUPERGROUP - 1));
    expect(h.ports.requests.pending()).toMatchObject([{ chatId: SUPERGROUP - 1 }]);
  });
});

describe('acknowledgements are audited', () => {
  it('a mark and its undo each leave an audit entry naming who pressed; a refused press leaves none', async () => {
    bindUnitGroup(GROUP);
    const d = h.services.admin.addDeadline(
      { id: ADMIN, channel: 'telegram' },
      {
        title: '总结报告',
        submit: null,
        dueAt: now + 3 * 86_400_000,
        audience: { kind: 'units', unitIds: [unit().id] },
        offsets: ['1d'],
        source: null,
      },
    );
    const ack = encodeCallback({ kind: 'ack', deadlineId: d.id, unitId: unit().id });
    await h.handle(h.fake.callbackQuery(OTHER, MEMBER, ack));
    expect(audit('deadline.ack')).toEqual([]);

    await h.handle(h.fake.callbackQuery(GROUP, MEMBER, ack));
    await h.handle(h.fake.callbackQuery(GROUP, MEMBER, ack));
    expect(audit('deadline.ack')).toMatchObject([
      { actorId: MEMBER, subject: `deadline #${d.id} unit #${unit().id}`, after: { chatId: GROUP, at: now } },
    ]);

    await h.handle(
      h.fake.callbackQuery(
        GROUP,
        MEMBER,
        encodeCallback({ kind: 'unack', deadlineId: d.id, unitId: unit().id }),
      ),
    );
    expect(h.ports.deadlines.acknowledgements(d.id)).toEqual([]);
    expect(audit('deadline.unack')).toMatchObject([{ actorId: MEMBER }]);
  });
});
