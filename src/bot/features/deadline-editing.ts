import type { Context } from 'telegraf';
import { audienceResolver } from '../../app/audience.js';
import {
  EDIT_EXAMPLE,
  parseDeadlineChanges,
  parseDeadlineSpec,
  SPEC_EXAMPLE,
} from '../../domain/deadlines/spec.js';
import { type BotEnv, command } from '../command.js';
import { actorOf, commandArgsMultiline, idArg } from '../context.js';
import type { BotServices } from '../services.js';
import { confirmKeyboard } from '../views/confirm.js';
import { describeDeadline } from '../views/deadline.js';

/** Provincial admins add, change and (after a confirmation) remove deadlines in a private chat. */

const specOptions = (s: BotServices) => ({
  timeZone: s.timeZone,
  now: s.clock.now(),
  resolveAudience: audienceResolver(s.answers.current()),
});

export const newDeadlineCommand = command({
  name: 'newdeadline',
  description: '添加截止事项',
  who: 'admin',
  where: 'private',
  parse: commandArgsMultiline,
  handle: async (ctx, spec, { s }) => {
    if (!spec)
      return ctx.reply(`请按下面的格式添加截止事项（每行一项，对象、提交、提醒可省略）：\n\n${SPEC_EXAMPLE}`);
    const parsed = parseDeadlineSpec(spec, specOptions(s));
    if ('error' in parsed) return ctx.reply(`❌ ${parsed.error}`);
    const d = s.admin.addDeadline(actorOf(ctx), parsed.spec);
    s.logger.info({ deadline: d.id, by: ctx.from?.id }, 'deadline added');
    return ctx.reply(`✅ 已添加：\n${describeDeadline(s, d.id)}`);
  },
});

export const editDeadlineCommand = command({
  name: 'editdeadline',
  description: '修改截止事项',
  usage: '编号 字段',
  example: '3',
  who: 'admin',
  where: 'private',
  parse: (text) => {
    const m = /^#?(\d+)\s*([\s\S]*)$/.exec(commandArgsMultiline(text));
    return m ? { id: Number(m[1]), changes: m[2] ?? '' } : null;
  },
  handle: async (ctx, args, { s }) => {
    if (!args) return ctx.reply(`请写上截止事项编号和要改的字段，例如：\n\n${EDIT_EXAMPLE}`);
    const { id } = args;
    if (!s.deadlineView.get(id)) return ctx.reply(`没有编号为 #${id} 的截止事项。发送 /deadlines 查看编号。`);
    const parsed = parseDeadlineChanges(args.changes, specOptions(s));
    if ('error' in parsed) return ctx.reply(`❌ ${parsed.error}`);
    s.admin.editDeadline(actorOf(ctx), id, parsed.changes);
    s.logger.info({ deadline: id, by: ctx.from?.id, fields: Object.keys(parsed.changes) }, 'deadline edited');
    return ctx.reply(`✅ 已修改：\n${describeDeadline(s, id)}`);
  },
});

export const delDeadlineCommand = command({
  name: 'deldeadline',
  description: '删除截止事项',
  usage: '编号',
  who: 'admin',
  where: 'private',
  parse: idArg,
  handle: async (ctx, id, { s, confirmations }) => {
    if (!id) return ctx.reply('请写上要删除的截止事项编号，例如：/deldeadline 3');
    if (!s.deadlineView.get(id)) return ctx.reply(`没有编号为 #${id} 的截止事项。`);
    const token = confirmations.create(ctx.from!.id, { kind: 'deldl', deadlineId: id });
    return ctx.reply(
      `确定删除下面的截止事项吗？删除后不再提醒，完成记录也会删除。\n\n${describeDeadline(s, id)}`,
      confirmKeyboard(token, '确认删除'),
    );
  },
});

/** A confirmed removal (the 确认删除 button of /deldeadline). */
export async function removeConfirmed(
  ctx: Context,
  { deadlineId }: { readonly deadlineId: number },
  { s }: BotEnv,
): Promise<void> {
  const removed = s.admin.removeDeadline(actorOf(ctx), deadlineId) !== null;
  s.logger.info({ deadline: deadlineId, by: ctx.from?.id, removed }, 'deadline removed');
  await ctx.answerCbQuery(removed ? '已删除' : '已经不存在了');
  if (removed) await ctx.reply(`已删除截止事项 #${deadlineId}。`);
}
