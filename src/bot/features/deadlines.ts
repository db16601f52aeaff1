import type { Composer, Context } from 'telegraf';
import type { Deadline } from '../../domain/deadlines/deadline.js';
import { audienceUnits } from '../../domain/deadlines/planner.js';
import { pilotCitiesOf, type Unit } from '../../domain/roster.js';
import { button, keyboard, onCallback } from '../callback-data.js';
import { scopeOf } from '../chat-scope.js';
import { type BotEnv, command } from '../command.js';
import { isGroup } from '../context.js';
import { sendText } from '../reply.js';
import type { BotServices } from '../services.js';

export const deadlinesCommand = command({
  name: 'deadlines',
  description: '截止事项',
  groupDescription: '本群相关的截止事项',
  who: 'everyone',
  where: 'any',
  parse: () => null,
  handle: (ctx, _args, { s }) => sendText(ctx, s.deadlineView.text(s.clock(), scopeOf(s, ctx))),
});

/** The 已完成 / 撤销 buttons of unit-group reminders. */
export function deadlinesFeature(bot: Composer<Context>, { s }: BotEnv): void {
  onCallback(bot, 'ack', async (ctx, { deadlineId, unitId }) => {
    const check = mayAcknowledge(s, ctx, deadlineId, unitId);
    if (!check.ok) return ctx.answerCbQuery(check.reason, { show_alert: true });
    const { deadline, unit } = check;
    const who = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ') || `用户 ${ctx.from.id}`;
    const fresh = s.deadlines.acknowledge({
      deadlineId,
      unitId,
      userId: ctx.from.id,
      userName: who,
      at: s.clock(),
      chatId: ctx.chat!.id,
    });
    s.logger.info({ deadline: deadlineId, unit: unitId, by: ctx.from.id, fresh }, 'deadline acknowledged');
    await ctx.answerCbQuery(fresh ? '已记录为完成。' : '之前已经记录为完成。');
    if (!fresh) return;
    await ctx.reply(
      `✅ ${unit.name} 已完成「${deadline.title}」（${who} 标记）。之后的提醒不再发给本单位。`,
      keyboard([[button('撤销', { kind: 'unack', deadlineId, unitId })]]),
    );
  });

  onCallback(bot, 'unack', async (ctx, { deadlineId, unitId }) => {
    const check = mayAcknowledge(s, ctx, deadlineId, unitId);
    if (!check.ok) return ctx.answerCbQuery(check.reason, { show_alert: true });
    const undone = s.deadlines.unacknowledge(deadlineId, unitId);
    s.logger.info({ deadline: deadlineId, unit: unitId, by: ctx.from.id, undone }, 'acknowledgement undone');
    await ctx.answerCbQuery(undone ? '已撤销完成标记。' : '没有找到完成记录。');
    if (undone) await ctx.reply('已撤销完成标记，之后的提醒会照常发送。');
  });
}

/**
 * 已完成 / 撤销 may be pressed only in an approved, active group of that unit (bindings exist
 * only once a coordinator granted them), and only for a deadline addressed to that unit. The
 * button's data is not trusted: a forged or replayed press elsewhere is refused here.
 */
function mayAcknowledge(
  s: BotServices,
  ctx: Context,
  deadlineId: number,
  unitId: number,
): { ok: true; deadline: Deadline; unit: Unit } | { ok: false; reason: string } {
  const deadline = s.deadlines.get(deadlineId);
  const roster = s.answers.current().roster;
  const unit = roster.units.find((u) => u.id === unitId);
  if (!deadline || !unit) return { ok: false, reason: '这个截止事项已被删除。' };
  const ownGroup =
    ctx.chat !== undefined &&
    isGroup(ctx) &&
    s.bindings.ofChat(ctx.chat.id).some((b) => b.kind === 'unit' && b.unitId === unitId && b.active);
  if (!ownGroup) return { ok: false, reason: '只有该单位已绑定（经协调人批准）的群成员可以标记完成。' };
  const addressed = audienceUnits(deadline, {
    units: roster.units,
    pilotCities: pilotCitiesOf(roster),
  }).some((u) => u.id === unitId);
  if (!addressed) return { ok: false, reason: '这个截止事项不是发给本单位的。' };
  return { ok: true, deadline, unit };
}
