import type { Context } from 'telegraf';
import { formatLocal } from '../../domain/deadlines/time-text.js';
import { type BotEnv, command } from '../command.js';
import { actorOf, commandArgsMultiline } from '../context.js';
import { roleOf } from '../filters/roles.js';
import { updateUserMenu } from '../menus.js';
import { sendText } from '../reply.js';

/** Provincial admins grant and revoke city coordinators and read the audit trail. */

/** The user's private-chat menu follows their new role (best effort, logged on failure). */
const refreshMenu = (ctx: Context, userId: number, { s, commands }: BotEnv) =>
  updateUserMenu(ctx.telegram, commands, userId, roleOf(s.permissions, userId), s.logger);

export const grantCommand = command({
  name: 'grant',
  description: '授权市州协调人',
  usage: '用户ID 市州',
  example: '用户ID 兰州',
  who: 'admin',
  where: 'private',
  parse: (text) => {
    const m = /^(\d{1,15})\s+(\S+)$/.exec(commandArgsMultiline(text));
    return m ? { userId: Number(m[1]), prefecture: m[2]! } : null;
  },
  handle: async (ctx, args, env) => {
    const { s } = env;
    if (!args) {
      const current = s.permissions.cityCoordinators();
      const list = current.length
        ? current.map((c) => `· 用户 ${c.userId}：${c.prefecture}`).join('\n')
        : '（还没有市州协调人）';
      return ctx.reply(
        `用法：/grant 用户ID 市州，例如：/grant 123456789 兰州\n（用户ID可让对方向 @userinfobot 查询）\n\n现有市州协调人：\n${list}`,
      );
    }
    const prefecture = s.answers.current().resolvePrefecture(args.prefecture);
    if (!prefecture) return ctx.reply(`没有找到市州「${args.prefecture}」。例如：/grant 123456789 兰州`);
    const { userId } = args;
    const previous = s.admin.grant(actorOf(ctx), userId, prefecture.name);
    await ctx.reply(
      `✅ 已授权用户 ${userId} 为${prefecture.name}协调人${previous && previous.prefecture !== prefecture.name ? `（原为${previous.prefecture}）` : ''}。\n该用户可以在本市州的群里绑定、解绑，并查看本市州的完成情况。`,
    );
    await refreshMenu(ctx, userId, env);
  },
});

export const revokeCommand = command({
  name: 'revoke',
  description: '撤销市州协调人',
  usage: '用户ID',
  example: '用户ID',
  who: 'admin',
  where: 'private',
  parse: (text) => Number(/^(\d{1,15})$/.exec(commandArgsMultiline(text))?.[1]) || null,
  handle: async (ctx, userId, env) => {
    if (!userId) return ctx.reply('用法：/revoke 用户ID，例如：/revoke 123456789');
    const removed = env.s.admin.revoke(actorOf(ctx), userId);
    await ctx.reply(
      removed
        ? `已撤销用户 ${userId} 的${removed.prefecture}协调人权限。`
        : `用户 ${userId} 不是市州协调人。`,
    );
    if (removed) await refreshMenu(ctx, userId, env);
  },
});

export const auditCommand = command({
  name: 'audit',
  description: '最近的操作记录',
  usage: '[条数]',
  who: 'admin',
  where: 'private',
  parse: (text) => Math.min(100, Number(/^(\d+)$/.exec(commandArgsMultiline(text))?.[1] ?? 20)),
  handle: async (ctx, limit, { s }) => {
    const entries = s.admin.recent(limit);
    if (!entries.length) return ctx.reply('还没有操作记录。');
    const lines = [`最近 ${entries.length} 条操作记录：`];
    for (const e of entries) {
      const who = e.channel === 'cli' ? '命令行' : `用户 ${e.actorId}`;
      lines.push(`#${e.id} ${formatLocal(e.at, s.timeZone)} ${who} ${e.action} ${e.subject}`);
    }
    return sendText(ctx, lines.join('\n'));
  },
});
