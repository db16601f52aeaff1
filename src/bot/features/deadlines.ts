import type { Composer, Context } from 'telegraf';
import type { DeadlineScope } from '../../app/deadline-view.js';
import { threadOf } from '../chat-admins.js';
import { isGroup } from '../context.js';
import { callbackButton, inlineKeyboard } from '../keyboard.js';
import { sendText } from '../reply.js';
import type { BotServices } from '../services.js';

const ACK = /^ack:(\d+):(\d+)$/;
const UNACK = /^unack:(\d+):(\d+)$/;

/** The deadline scope of a chat: its bound unit or prefecture, else everything. */
export function scopeOf(s: BotServices, ctx: Context): DeadlineScope {
  if (!ctx.chat || !isGroup(ctx)) return { kind: 'all' };
  const binding = s.bindings.forChat(ctx.chat.id, threadOf(ctx));
  if (!binding?.active) return { kind: 'all' };
  if (binding.kind === 'unit' && binding.unitId !== null) return { kind: 'unit', unitId: binding.unitId };
  return { kind: 'prefecture', prefecture: binding.prefecture };
}

/** /deadlines and the 已完成 / 撤销 buttons of unit-group reminders. */
export function deadlinesFeature(bot: Composer<Context>, s: BotServices): void {
  bot.command('deadlines', (ctx) => sendText(ctx, s.deadlineView.text(s.clock(), scopeOf(s, ctx))));

  bot.action(ACK, async (ctx) => {
    const deadlineId = Number(ctx.match[1]);
    const unitId = Number(ctx.match[2]);
    const deadline = s.deadlines.get(deadlineId);
    const unit = s.answers.current().roster.units.find((u) => u.id === unitId);
    if (!deadline || !unit) return ctx.answerCbQuery('这个截止事项已被删除。', { show_alert: true });
    if (!mayAcknowledge(s, ctx, unitId)) {
      return ctx.answerCbQuery('只有该单位的群成员或协调人可以标记完成。', { show_alert: true });
    }
    const who = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(' ') || `用户 ${ctx.from.id}`;
    const fresh = s.deadlines.acknowledge({
      deadlineId,
      unitId,
      userId: ctx.from.id,
      userName: who,
      at: s.clock(),
    });
    s.logger.info({ deadline: deadlineId, unit: unitId, by: ctx.from.id, fresh }, 'deadline acknowledged');
    await ctx.answerCbQuery(fresh ? '已记录为完成。' : '之前已经记录为完成。');
    if (!fresh) return;
    await ctx.reply(
      `✅ ${unit.name} 已完成「${deadline.title}」（${who} 标记）。之后的提醒不再发给本单位。`,
      {
        ...inlineKeyboard([[callbackButton('撤销', `unack:${deadlineId}:${unitId}`)]]),
      },
    );
  });

  bot.action(UNACK, async (ctx) => {
    const deadlineId = Number(ctx.match[1]);
    const unitId = Number(ctx.match[2]);
    if (!mayAcknowledge(s, ctx, unitId)) {
      return ctx.answerCbQuery('只有该单位的群成员或协调人可以撤销。', { show_alert: true });
    }
    const undone = s.deadlines.unacknowledge(deadlineId, unitId);
    s.logger.info({ deadline: deadlineId, unit: unitId, by: ctx.from.id, undone }, 'acknowledgement undone');
    await ctx.answerCbQuery(undone ? '已撤销完成标记。' : '没有找到完成记录。');
    if (undone) await ctx.reply('已撤销完成标记，之后的提醒会照常发送。');
  });
}

/** A unit's own group (bound to it) or a coordinator may mark it done. */
function mayAcknowledge(s: BotServices, ctx: Context, unitId: number): boolean {
  const unit = s.answers.current().roster.units.find((u) => u.id === unitId);
  if (unit && s.permissions.mayManage(ctx.from?.id, unit.prefecture)) return true;
  if (!ctx.chat) return false;
  return s.bindings.ofChat(ctx.chat.id).some((b) => b.kind === 'unit' && b.unitId === unitId && b.active);
}
