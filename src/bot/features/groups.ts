import type { Composer, Context } from 'telegraf';
import type { BindingRecord, BindTarget } from '../../app/ports.js';
import type { Unit } from '../../domain/roster.js';
import { cutText } from '../../domain/text/cut.js';
import { button, keyboard, onCallback } from '../callback-data.js';
import { threadOf } from '../chat-admins.js';
import { unitNameOf } from '../chat-scope.js';
import { type BotEnv, type Command, command } from '../command.js';
import { actorOf, commandArgs, isGroup } from '../context.js';
import { groupStanding, mayAskToBind } from '../filters/group-admin.js';
import { managesHere } from '../filters/place.js';
import { sendAnswer } from '../reply.js';
import type { BotServices } from '../services.js';
import { bindingLabel, requestKeyboard, requestText } from '../views/bindings.js';
import { helpFor } from '../views/help.js';

/**
 * Group bindings. A binding is granted, never taken: a coordinator of the prefecture (or a
 * provincial admin) binds directly with /bind or through a one-time invitation link
 * (/start <code> when the bot is added with it); a group admin's /bind only files a request that
 * those coordinators approve or reject with one tap. Also /unbind, /whereami and candidate buttons.
 */

const REFUSE_BIND = '抱歉，只有本群管理员或试点协调人可以申请绑定本群。';
const REFUSE_UNBIND = '抱歉，只有本群管理员或该市州的试点协调人可以解绑本群。';

const chatOf = (ctx: Context) => {
  const chat = ctx.chat!;
  return { id: chat.id, threadId: threadOf(ctx), title: 'title' in chat ? chat.title : null };
};
const nameOf = (ctx: Context) =>
  [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(' ') || null;
const targetOfUnit = (unit: Unit): BindTarget => ({
  kind: 'unit',
  prefecture: unit.prefecture,
  unitId: unit.id,
});

async function bound(
  s: BotServices,
  ctx: Context,
  binding: BindingRecord,
  previous: BindingRecord | null,
  thread: number,
) {
  s.logger.info({ chat: binding.chatId, thread, kind: binding.kind, by: ctx.from?.id }, 'group bound');
  const lines = [
    `✅ 本群${thread ? '的这个话题' : ''}已绑定到：${bindingLabel(binding, unitNameOf(s, binding.unitId))}`,
  ];
  if (previous) lines.push(`（原来绑定的是：${bindingLabel(previous, unitNameOf(s, previous.unitId))}）`);
  lines.push('截止提醒会发到这里。发送 /deadlines 查看截止事项，/unbind 解除绑定。');
  await ctx.reply(lines.join('\n'), replyTo(ctx));
}

/**
 * The one path of /bind and its candidate buttons: a coordinator of the target's prefecture
 * binds; a group admin files a request; everyone else is refused.
 */
async function bindOrRequest(s: BotServices, ctx: Context, target: BindTarget) {
  const chat = chatOf(ctx);
  const standing = await groupStanding(ctx, s.permissions, target.prefecture);
  if (standing === 'coordinator') {
    const { binding, previous } = s.admin.bind(actorOf(ctx), chat, target);
    return bound(s, ctx, binding, previous, chat.threadId);
  }
  if (!standing) return ctx.reply(REFUSE_BIND, replyTo(ctx));
  const request = s.admin.requestBinding({ ...actorOf(ctx), name: nameOf(ctx) }, chat, target);
  s.logger.info({ chat: chat.id, request: request.id, by: ctx.from?.id }, 'binding requested');
  const approvers = s.permissions.responsibleFor(target.prefecture);
  const text = requestText(request, unitNameOf(s, request.unitId));
  for (const userId of approvers) {
    // Best effort and not awaited: a coordinator who never opened the bot cannot be told.
    void ctx.telegram
      .sendMessage(userId, text, requestKeyboard(request.id))
      .catch((err: unknown) =>
        s.logger.warn({ err, userId, request: request.id }, 'could not tell a coordinator of a request'),
      );
  }
  return ctx.reply(
    [
      `📝 已提交绑定申请：${bindingLabel(request, unitNameOf(s, request.unitId))}`,
      '需要该市州的试点协调人或省级协调人批准。批准之前，本群不会收到截止提醒，也不能标记完成。',
      approvers.length
        ? '已通知协调人，批准后会在这里告诉大家。'
        : '目前没有可以批准的协调人，请联系省级协调人。',
    ].join('\n'),
    replyTo(ctx),
  );
}

export const bindCommand = command({
  name: 'bind',
  description: '申请把本群绑定到市州或单位，需协调人批准',
  usage: '市州或单位名',
  who: 'group_admin',
  where: 'group',
  elsewhere:
    '请在要接收提醒的群里发送 /bind 市州或单位名，例如：/bind 兰州 或 /bind 张掖中学。协调人也可以私聊发送 /invite 单位名，生成一次性邀请链接。',
  parse: commandArgs,
  handle: async (ctx, name, { s }) => {
    if (!name) return ctx.reply('请写上要绑定的市州或单位，例如：\n/bind 兰州\n/bind 张掖中学', replyTo(ctx));
    const answerer = s.answers.current();
    const prefecture = answerer.resolvePrefecture(name);
    if (prefecture) return bindOrRequest(s, ctx, { kind: 'city', prefecture: prefecture.name, unitId: null });
    const unit = answerer.resolveUnit(name);
    if (!unit) {
      if (!(await mayAskToBind(ctx, s.permissions))) return ctx.reply(REFUSE_BIND, replyTo(ctx));
      return ctx.reply(
        `没有找到「${cutText(name, 30)}」。请写甘肃省的市州名（如 兰州、临夏州）或试点单位名称（如 张掖中学）。`,
        replyTo(ctx),
      );
    }
    if ('unit' in unit) return bindOrRequest(s, ctx, targetOfUnit(unit.unit));
    return ctx.reply(`「${cutText(name, 30)}」可能是以下单位，请点选要绑定的一个：`, {
      ...replyTo(ctx),
      ...keyboard(
        unit.candidates
          .slice(0, 10)
          .map((u) => [button(`${u.name}（${u.prefecture}）`, { kind: 'bind', unitId: u.id })]),
      ),
    });
  },
});

/** A group added through an invitation link gets "/start <code>"; a bare /start gets the help. */
export const startInGroupCommand = command({
  name: 'start',
  description: '开始使用；通过邀请链接加入群时绑定本群',
  who: 'everyone',
  where: 'group',
  hidden: true,
  parse: commandArgs,
  handle: async (ctx, code, env) => {
    const { s } = env;
    if (!code) return sendAnswer(ctx, { intent: 'help', matches: [], reply: helpFor(ctx, env) });
    const result = s.admin.redeem(actorOf(ctx), code, chatOf(ctx));
    if (!result.ok) {
      s.logger.warn({ chat: ctx.chat?.id, by: ctx.from?.id, reason: result.reason }, 'invitation refused');
      const why = { unknown: '无效', used: '已经用过', expired: '已过期' }[result.reason];
      return ctx.reply(
        `这个邀请链接${why}，本群没有绑定。请向协调人索取新的邀请链接（/invite）。`,
        replyTo(ctx),
      );
    }
    return bound(s, ctx, result.binding, result.previous, result.binding.threadId);
  },
});

export const unbindGroupCommand = command({
  name: 'unbind',
  description: '解除本群绑定',
  who: 'group_admin',
  where: 'group',
  parse: () => null,
  handle: async (ctx, _args, { s }) => {
    const chatId = ctx.chat!.id;
    const current = s.groups.forChat(chatId, threadOf(ctx));
    if (!current) return ctx.reply('本群还没有绑定任何市州或单位。', replyTo(ctx));
    if (!(await groupStanding(ctx, s.permissions, current.prefecture)))
      return ctx.reply(REFUSE_UNBIND, replyTo(ctx));
    const removed = s.admin.unbind(actorOf(ctx), chatId, current.threadId);
    if (!removed) return ctx.reply('本群还没有绑定任何市州或单位。', replyTo(ctx));
    s.logger.info({ chat: chatId, by: ctx.from?.id }, 'group unbound');
    return ctx.reply(
      `已解除绑定：${bindingLabel(removed, unitNameOf(s, removed.unitId))}。本群不会再收到截止提醒。`,
      replyTo(ctx),
    );
  },
});

export const whereamiCommand = command({
  name: 'whereami',
  description: '本群绑定了什么',
  who: 'everyone',
  where: 'group',
  elsewhere: '这是私聊。请在群里发送 /whereami 查看该群绑定了什么。',
  parse: () => null,
  handle: async (ctx, _args, { s }) => {
    const chatId = ctx.chat!.id;
    const all = s.groups.ofChat(chatId);
    const waiting = s.groups.pendingRequests().filter((r) => r.chatId === chatId);
    if (!all.length) {
      return ctx.reply(
        waiting.length
          ? `本群还没有绑定。绑定申请（${waiting.map((r) => bindingLabel(r, unitNameOf(s, r.unitId))).join('、')}）正在等待协调人批准。`
          : '本群还没有绑定。管理员可发送 /bind 市州或单位名申请绑定（需协调人批准），例如：/bind 兰州',
        replyTo(ctx),
      );
    }
    const lines = all.map(
      (b) =>
        `· ${b.threadId ? `话题 ${b.threadId}：` : ''}${bindingLabel(b, unitNameOf(s, b.unitId))}${b.active ? '' : `（已停用：${b.inactiveReason ?? ''}）`}`,
    );
    return ctx.reply(['本群绑定：', ...lines].join('\n'), replyTo(ctx));
  },
});

/** The group commands, in menu order (/start is not in menus). */
export const groupCommands: readonly Command[] = [bindCommand, unbindGroupCommand, whereamiCommand];

/** The bind candidate buttons and the coordinators' 批准 / 拒绝 buttons. */
export function groupsFeature(bot: Composer<Context>, { s }: BotEnv): void {
  onCallback(bot, 'bind', async (ctx, { unitId }) => {
    const unit = s.answers.unit(unitId);
    if (!unit) return ctx.answerCbQuery('名单已更新，请重新发送 /bind。', { show_alert: true });
    if (!isGroup(ctx)) return ctx.answerCbQuery('请在群里绑定。', { show_alert: true });
    if (!(await groupStanding(ctx, s.permissions, unit.prefecture, ctx.from.id)))
      return ctx.answerCbQuery(REFUSE_BIND, { show_alert: true });
    await ctx.answerCbQuery();
    return bindOrRequest(s, ctx, targetOfUnit(unit));
  });

  onCallback(bot, 'request', async (ctx, { requestId, approve }) => {
    const request = s.groups.request(requestId);
    if (!request) return ctx.answerCbQuery('按钮已过期，请重新查询', { show_alert: true });
    if (!managesHere(ctx, s.permissions, request.prefecture))
      return ctx.answerCbQuery('只有该市州的试点协调人或省级协调人可以处理这个申请。', { show_alert: true });
    const decided = s.admin.decideRequest({ id: ctx.from.id, channel: 'telegram' }, requestId, approve);
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
    if (!decided) {
      const state = {
        approved: '已被批准',
        rejected: '已被拒绝',
        superseded: '已被新的申请取代',
        pending: '',
      }[request.status];
      return ctx.answerCbQuery(`这个申请${state || '已处理'}。`, { show_alert: true });
    }
    s.logger.info({ request: requestId, approve, by: ctx.from.id }, 'binding request decided');
    await ctx.answerCbQuery(approve ? '已批准' : '已拒绝');
    const label = bindingLabel(request, unitNameOf(s, request.unitId));
    await ctx.reply(
      `${approve ? '✅ 已批准' : '已拒绝'}绑定申请 #${request.id}：${request.chatTitle ?? request.chatId} → ${label}`,
    );
    const extra = request.threadId ? { message_thread_id: request.threadId } : {};
    const groupText = approve
      ? `✅ 协调人已批准：本群${request.threadId ? '的这个话题' : ''}已绑定到 ${label}。截止提醒会发到这里，发送 /deadlines 查看。`
      : `协调人没有批准把本群绑定到 ${label}。如有疑问请联系本市州的试点协调人。`;
    void ctx.telegram
      .sendMessage(request.chatId, groupText, extra)
      .catch((err: unknown) => s.logger.warn({ err, chat: request.chatId }, 'could not tell the group'));
  });
}

function replyTo(ctx: Context) {
  const id = ctx.message?.message_id;
  return id ? { reply_parameters: { message_id: id, allow_sending_without_reply: true } } : {};
}
