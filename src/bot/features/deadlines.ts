import type { Composer, Context } from 'telegraf';
import type { AckChat, AckRefusal, AckUser } from '../../app/acknowledgements.js';
import { button, keyboard, onCallback } from '../callback-data.js';
import { scopeOf } from '../chat-scope.js';
import { type BotEnv, command } from '../command.js';
import { isGroup } from '../context.js';
import { sendText } from '../reply.js';

export const deadlinesCommand = command({
  name: 'deadlines',
  description: '截止事项',
  groupDescription: '本群相关的截止事项',
  who: 'everyone',
  where: 'any',
  parse: () => null,
  handle: (ctx, _args, { s }) => sendText(ctx, s.deadlineView.text(s.clock.now(), scopeOf(s, ctx))),
});

/** The 已完成 / 撤销 buttons of unit-group reminders. */
export function deadlinesFeature(bot: Composer<Context>, { s }: BotEnv): void {
  onCallback(bot, 'ack', async (ctx, { deadlineId, unitId }) => {
    const who = presser(ctx.from);
    const result = s.acknowledgements.acknowledge(who, ackChat(ctx), deadlineId, unitId);
    if (!result.ok) return ctx.answerCbQuery(ACK_REFUSALS[result.refusal], { show_alert: true });
    const { deadline, unit, fresh } = result;
    s.logger.info({ deadline: deadlineId, unit: unitId, by: ctx.from.id, fresh }, 'deadline acknowledged');
    await ctx.answerCbQuery(fresh ? '已记录为完成。' : '之前已经记录为完成。');
    if (!fresh) return;
    await ctx.reply(
      `✅ ${unit.name} 已完成「${deadline.title}」（${who.name} 标记）。之后的提醒不再发给本单位。`,
      keyboard([[button('撤销', { kind: 'unack', deadlineId, unitId })]]),
    );
  });

  onCallback(bot, 'unack', async (ctx, { deadlineId, unitId }) => {
    const result = s.acknowledgements.undo(presser(ctx.from), ackChat(ctx), deadlineId, unitId);
    if (!result.ok) return ctx.answerCbQuery(ACK_REFUSALS[result.refusal], { show_alert: true });
    const { undone } = result;
    s.logger.info({ deadline: deadlineId, unit: unitId, by: ctx.from.id, undone }, 'acknowledgement undone');
    await ctx.answerCbQuery(undone ? '已撤销完成标记。' : '没有找到完成记录。');
    if (undone) await ctx.reply('已撤销完成标记，之后的提醒会照常发送。');
  });
}

/** What a refused 已完成 / 撤销 press is told. */
const ACK_REFUSALS: Record<AckRefusal, string> = {
  gone: '这个截止事项已被删除。',
  not_own_group: '只有该单位已绑定（经协调人批准）的群成员可以标记完成。',
  not_addressed: '这个截止事项不是发给本单位的。',
};

/** Who pressed a button, with the name a mark shows. */
function presser(from: { id: number; first_name: string; last_name?: string }): AckUser {
  return {
    id: from.id,
    name: [from.first_name, from.last_name].filter(Boolean).join(' ') || `用户 ${from.id}`,
  };
}

/** The group a button was pressed in (a press outside groups never counts). */
function ackChat(ctx: Context): AckChat {
  return ctx.chat !== undefined && isGroup(ctx) ? { id: ctx.chat.id } : null;
}
