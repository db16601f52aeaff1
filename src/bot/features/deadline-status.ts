import { deadlineStatusXlsx } from '../../app/roster-export.js';
import { statusText } from '../../domain/deadlines/messages.js';
import { formatLocal } from '../../domain/deadlines/time-text.js';
import { command } from '../command.js';
import { commandArgsMultiline, idArg } from '../context.js';
import { limitOf } from '../filters/roles.js';
import { sendText } from '../reply.js';

/**
 * Who has done a deadline, for coordinators in a private chat: /status as text, /export as XLSX
 * (and a bare /export, for provincial admins, the whole roster with contacts). A city
 * coordinator sees their own prefecture's units only.
 */

export const statusCommand = command({
  name: 'status',
  description: '某截止事项的完成情况',
  usage: '编号',
  example: '3',
  who: 'coordinator',
  where: 'private',
  parse: idArg,
  handle: async (ctx, id, { s }) => {
    const limit = limitOf(s.permissions, ctx.from?.id);
    const progress = id ? s.deadlineStatus.of(id, limit) : null;
    if (!progress) return ctx.reply('请写上截止事项编号，例如：/status 3（发送 /deadlines 查看编号）。');
    const { deadline: d, units, done } = progress;
    if (limit && !units.length) return ctx.reply(`截止事项 #${d.id} 不涉及${limit}的单位。`);
    return sendText(ctx, statusText(d, units, done, s.timeZone, s.clock.now()));
  },
});

export const exportCommand = command({
  name: 'export',
  description: '导出名单，或某截止事项的完成情况',
  usage: '[编号]',
  example: '3',
  who: 'coordinator',
  where: 'private',
  parse: (text) => ({ bare: !commandArgsMultiline(text), id: idArg(text) }),
  handle: async (ctx, { bare, id }, { s }) => {
    const limit = limitOf(s.permissions, ctx.from?.id);
    const stamp = formatLocal(s.clock.now(), s.timeZone).slice(0, 10);
    if (bare) {
      if (limit)
        return ctx.reply('名单导出只对省级协调人开放。市州协调人可以导出截止事项的完成情况：/export 编号');
      const file = await s.rosterXlsx();
      return ctx.replyWithDocument(
        { source: file, filename: `试点名单-${stamp}.xlsx` },
        { caption: '试点单位名单（含联系人，请勿外传）。修改后可由运维用 roster import 导入。' },
      );
    }
    const progress = id ? s.deadlineStatus.of(id, limit) : null;
    if (!progress)
      return ctx.reply('用法：/export 导出名单；/export 截止事项编号 导出完成情况，例如：/export 3');
    const { deadline: d, units, done } = progress;
    const rows = units.map((unit) => {
      const ack = done.get(unit.id);
      return {
        prefecture: unit.prefecture,
        unit: unit.name,
        done: Boolean(ack),
        by: ack?.userName ?? null,
        byId: ack?.userId ?? null,
        at: ack ? formatLocal(ack.at, s.timeZone) : null,
      };
    });
    if (!rows.length) return ctx.reply(`截止事项 #${d.id} 不涉及${limit ?? ''}的单位。`);
    const file = await deadlineStatusXlsx(
      rows,
      `#${d.id} ${d.title}（截止 ${formatLocal(d.dueAt, s.timeZone)}）`,
    );
    return ctx.replyWithDocument(
      { source: file, filename: `完成情况-${d.id}-${stamp}.xlsx` },
      { caption: `#${d.id} ${d.title}：已完成 ${rows.filter((r) => r.done).length}/${rows.length}` },
    );
  },
});
