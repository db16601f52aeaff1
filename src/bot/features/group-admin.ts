import { formatLocal } from '../../domain/deadlines/time-text.js';
import { cutText } from '../../domain/text/cut.js';
import { unitNameOf } from '../chat-scope.js';
import { command } from '../command.js';
import { actorOf, commandArgsMultiline } from '../context.js';
import { limitOf } from '../filters/roles.js';
import { sendText } from '../reply.js';
import { bindingLabel, requestKeyboard, requestText } from '../views/bindings.js';

/**
 * Coordinators' view of the groups, in a private chat: one-time invitation links, binding
 * requests waiting, the bound groups' health, removing a group's binding. A city coordinator
 * sees and acts on their own prefecture only.
 */

/** How long an /invite link stays valid. */
export const INVITE_TTL_MS = 72 * 3600_000;
/** Binding requests listed per /pending. */
const PENDING_PAGE = 20;

export const inviteCommand = command({
  name: 'invite',
  description: '为单位或市州生成一次性入群邀请链接',
  usage: '单位或市州',
  who: 'coordinator',
  where: 'private',
  parse: commandArgsMultiline,
  handle: async (ctx, name, { s }) => {
    if (!name)
      return ctx.reply(
        '用法：/invite 单位名 或 /invite 市州，例如：/invite 张掖中学\n会生成一个一次性邀请链接（72 小时内有效）：把机器人加入群时用它，该群就绑定到这个单位或市州。',
      );
    const answerer = s.answers.current();
    const prefecture = answerer.resolvePrefecture(name);
    const resolved = prefecture ? null : answerer.resolveUnit(name);
    if (resolved && !('unit' in resolved))
      return ctx.reply(
        `「${cutText(name, 30)}」可能是：${resolved.candidates
          .slice(0, 10)
          .map((u) => `${u.name}（${u.prefecture}）`)
          .join('、')}。请写完整的单位名称。`,
      );
    const unit = resolved && 'unit' in resolved ? resolved.unit : null;
    if (!prefecture && !unit) return ctx.reply(`没有找到「${cutText(name, 30)}」。例如：/invite 张掖中学`);
    const target = prefecture
      ? { kind: 'city' as const, prefecture: prefecture.name, unitId: null }
      : { kind: 'unit' as const, prefecture: unit!.prefecture, unitId: unit!.id };
    if (!s.permissions.mayManage(ctx.from?.id, target.prefecture))
      return ctx.reply(`抱歉，您只能为本市州（${limitOf(s.permissions, ctx.from?.id)}）的群生成邀请。`);
    const { code, invitation } = s.admin.invite(actorOf(ctx), target, INVITE_TTL_MS);
    s.logger.info({ invitation: invitation.id, by: ctx.from?.id }, 'invitation created');
    const link = `https://t.me/${ctx.botInfo.username}?startgroup=${code}`;
    return ctx.reply(
      [
        `🔗 ${bindingLabel(target, unit?.name)}的一次性邀请链接：`,
        link,
        '',
        `把这个链接发给该群的管理员：用它把机器人加入群，群就绑定好了。只能用一次，${formatLocal(invitation.expiresAt, s.timeZone)} 前有效。`,
      ].join('\n'),
      { link_preview_options: { is_disabled: true } },
    );
  },
});

export const pendingCommand = command({
  name: 'pending',
  description: '等待批准的绑定申请',
  who: 'coordinator',
  where: 'private',
  parse: () => null,
  handle: async (ctx, _args, { s }) => {
    const limit = limitOf(s.permissions, ctx.from?.id);
    const list = s.groups.pendingRequests(limit);
    if (!list.length) return ctx.reply('没有等待批准的绑定申请。');
    await ctx.reply(`等待批准的绑定申请（${list.length} 个）：`);
    for (const r of list.slice(0, PENDING_PAGE)) {
      await ctx.reply(requestText(r, unitNameOf(s, r.unitId)), requestKeyboard(r.id));
    }
    if (list.length > PENDING_PAGE)
      await ctx.reply(`还有 ${list.length - PENDING_PAGE} 个，处理完上面的再发送 /pending。`);
  },
});

export const unbindChatCommand = command({
  name: 'unbind',
  description: '解除某个群的绑定',
  usage: '群ID',
  example: '群ID',
  who: 'coordinator',
  where: 'private',
  parse: (text) => {
    const m = /^(-?\d{1,16})$/.exec(commandArgsMultiline(text));
    return m ? Number(m[1]) : null;
  },
  handle: async (ctx, chatId, { s }) => {
    if (chatId === null)
      return ctx.reply('用法（私聊）：/unbind 群ID，例如：/unbind -1001234567890（群ID见 /groups）');
    const limit = limitOf(s.permissions, ctx.from?.id);
    const mine = s.groups.ofChat(chatId, limit);
    if (!mine.length) return ctx.reply(`群 ${chatId} 没有${limit ? `${limit}的` : ''}绑定。`);
    const removed = mine.flatMap((b) => s.admin.unbind(actorOf(ctx), chatId, b.threadId) ?? []);
    s.logger.info(
      { chat: chatId, by: ctx.from?.id, removed: removed.length },
      'group unbound by a coordinator',
    );
    return ctx.reply(
      `已解除群 ${removed[0]?.chatTitle ?? chatId} 的绑定：${removed
        .map((b) => bindingLabel(b, unitNameOf(s, b.unitId)))
        .join('、')}。该群不会再收到截止提醒。`,
    );
  },
});

export const groupsCommand = command({
  name: 'groups',
  description: '已绑定的群及其状态',
  who: 'coordinator',
  where: 'private',
  parse: () => null,
  handle: async (ctx, _args, { s }) => {
    const limit = limitOf(s.permissions, ctx.from?.id);
    const all = s.groups.all(limit);
    if (!all.length)
      return ctx.reply(
        '还没有群绑定。请发送 /invite 单位名 生成入群邀请链接，或批准群管理员的 /bind 申请（/pending）。',
      );
    const lines = [`已绑定的群（${all.length} 个，${all.filter((b) => b.active).length} 个正常）：`];
    for (const b of all) {
      const state = b.active ? '✅' : '⛔';
      const last = b.lastDeliveryAt ? formatLocal(b.lastDeliveryAt, s.timeZone) : '无';
      const error = b.lastError ? `；最近错误：${cutText(b.lastError, 60)}` : '';
      lines.push(
        `${state} ${b.chatTitle ?? b.chatId}（${b.chatId}${b.threadId ? `/话题${b.threadId}` : ''}）→ ${bindingLabel(b, unitNameOf(s, b.unitId))}；最近送达：${last}${error}`,
      );
    }
    return sendText(ctx, lines.join('\n'));
  },
});
