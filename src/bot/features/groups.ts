import type { Composer, Context } from 'telegraf';
import type { BindingRecord } from '../../db/binding-store.js';
import type { Unit } from '../../domain/roster.js';
import { cutText } from '../../domain/text/cut.js';
import { isGroupAdmin, threadOf } from '../chat-admins.js';
import { commandPayload, isGroup } from '../context.js';
import { callbackButton, inlineKeyboard } from '../keyboard.js';
import type { BotServices } from '../services.js';

const BIND_BUTTON = /^bind:(\d+)$/;

/** Describes a binding in one line. */
export function bindingLabel(
  b: Pick<BindingRecord, 'kind' | 'prefecture' | 'unitId'>,
  unitName?: string,
): string {
  return b.kind === 'city'
    ? `${b.prefecture}（市州群）`
    : `${unitName ?? `单位 #${b.unitId}`}（${b.prefecture}，单位群）`;
}

/**
 * Group bindings: /bind NAME, /unbind, /whereami, candidate buttons; keeps bindings in step with
 * my_chat_member updates and supergroup migrations.
 */
export function groupsFeature(bot: Composer<Context>, s: BotServices): void {
  /** Group admins may bind their group to anything; coordinators within their prefecture. */
  const mayBind = async (ctx: Context, prefecture: string, userId = ctx.from?.id) =>
    s.permissions.mayManage(userId, prefecture) || (await isGroupAdmin(ctx, userId));
  const refuse = (ctx: Context) =>
    ctx.reply('抱歉，只有本群管理员或试点协调人可以绑定或解绑本群。', replyTo(ctx));

  const bindTo = async (
    ctx: Context,
    target: { kind: 'city'; prefecture: string } | { kind: 'unit'; unit: Unit },
  ) => {
    const chat = ctx.chat!;
    const title = 'title' in chat ? chat.title : null;
    const thread = threadOf(ctx);
    const { binding, previous } = s.admin.bind(
      { id: ctx.from?.id ?? null, channel: 'telegram' },
      { id: chat.id, threadId: thread, title },
      target.kind === 'city'
        ? { kind: 'city', prefecture: target.prefecture, unitId: null }
        : { kind: 'unit', prefecture: target.unit.prefecture, unitId: target.unit.id },
    );
    s.logger.info({ chat: chat.id, thread, kind: binding.kind, by: ctx.from?.id }, 'group bound');
    const label = bindingLabel(binding, target.kind === 'unit' ? target.unit.name : undefined);
    const lines = [`✅ 本群${thread ? '的这个话题' : ''}已绑定到：${label}`];
    if (previous) lines.push(`（原来绑定的是：${bindingLabel(previous, unitName(s, previous.unitId))}）`);
    lines.push('截止提醒会发到这里。发送 /deadlines 查看截止事项，/unbind 解除绑定。');
    await ctx.reply(lines.join('\n'), replyTo(ctx));
  };

  bot.command('bind', async (ctx) => {
    if (!isGroup(ctx))
      return ctx.reply('请在要接收提醒的群里发送 /bind 市州或单位名，例如：/bind 兰州 或 /bind 张掖中学');
    const name = commandPayload(ctx);
    if (!name) return ctx.reply('请写上要绑定的市州或单位，例如：\n/bind 兰州\n/bind 张掖中学', replyTo(ctx));
    const answerer = s.answers.current();
    const prefecture = answerer.resolvePrefecture(name);
    if (prefecture) {
      if (!(await mayBind(ctx, prefecture.name))) return refuse(ctx);
      return bindTo(ctx, { kind: 'city', prefecture: prefecture.name });
    }
    const unit = answerer.resolveUnit(name);
    const prefectures = unit
      ? 'unit' in unit
        ? [unit.unit.prefecture]
        : unit.candidates.map((u) => u.prefecture)
      : [''];
    if (!(await someAsync(prefectures, (p) => mayBind(ctx, p)))) return refuse(ctx);
    if (!unit) {
      return ctx.reply(
        `没有找到「${cutText(name, 30)}」。请写甘肃省的市州名（如 兰州、临夏州）或试点单位名称（如 张掖中学）。`,
        replyTo(ctx),
      );
    }
    if ('unit' in unit) return bindTo(ctx, { kind: 'unit', unit: unit.unit });
    return ctx.reply(`「${cutText(name, 30)}」可能是以下单位，请点选要绑定的一个：`, {
      ...replyTo(ctx),
      ...inlineKeyboard(
        unit.candidates
          .slice(0, 10)
          .map((u) => [callbackButton(`${u.name}（${u.prefecture}）`, `bind:${u.id}`)]),
      ),
    });
  });

  bot.action(BIND_BUTTON, async (ctx) => {
    const unit = s.answers.current().roster.units.find((u) => u.id === Number(ctx.match[1]));
    if (!unit) return ctx.answerCbQuery('名单已更新，请重新发送 /bind。', { show_alert: true });
    if (!isGroup(ctx) || !(await mayBind(ctx, unit.prefecture, ctx.from.id))) {
      return ctx.answerCbQuery('只有本群管理员或试点协调人可以绑定本群。', { show_alert: true });
    }
    await ctx.answerCbQuery();
    return bindTo(ctx, { kind: 'unit', unit });
  });

  bot.command('unbind', async (ctx) => {
    if (!isGroup(ctx)) return ctx.reply('请在已绑定的群里发送 /unbind。');
    const current = s.bindings.forChat(ctx.chat.id, threadOf(ctx));
    if (!current) return ctx.reply('本群还没有绑定任何市州或单位。', replyTo(ctx));
    if (!(await mayBind(ctx, current.prefecture))) return refuse(ctx);
    const removed = s.admin.unbind({ id: ctx.from.id, channel: 'telegram' }, ctx.chat.id, current.threadId);
    if (!removed) return ctx.reply('本群还没有绑定任何市州或单位。', replyTo(ctx));
    s.logger.info({ chat: ctx.chat.id, by: ctx.from.id }, 'group unbound');
    return ctx.reply(
      `已解除绑定：${bindingLabel(removed, unitName(s, removed.unitId))}。本群不会再收到截止提醒。`,
      replyTo(ctx),
    );
  });

  bot.command('whereami', async (ctx) => {
    if (!isGroup(ctx)) return ctx.reply('这是私聊。请在群里发送 /whereami 查看该群绑定了什么。');
    const all = s.bindings.ofChat(ctx.chat.id);
    if (!all.length) {
      return ctx.reply(
        '本群还没有绑定。管理员可发送 /bind 市州或单位名，例如：/bind 兰州 或 /bind 张掖中学',
        replyTo(ctx),
      );
    }
    const lines = all.map(
      (b) =>
        `· ${b.threadId ? `话题 ${b.threadId}：` : ''}${bindingLabel(b, unitName(s, b.unitId))}${b.active ? '' : `（已停用：${b.inactiveReason ?? ''}）`}`,
    );
    return ctx.reply(['本群绑定：', ...lines].join('\n'), replyTo(ctx));
  });

  bot.on('my_chat_member', async (ctx, next) => {
    const update = ctx.myChatMember;
    const status = update.new_chat_member.status;
    if (status === 'left' || status === 'kicked') {
      const gone = s.bindings.deactivateChat(
        update.chat.id,
        `bot ${status === 'kicked' ? 'was removed' : 'left'} (by user ${update.from.id})`,
        s.clock(),
      );
      if (gone.length) {
        s.logger.warn(
          { chat: update.chat.id, status },
          'bot removed from a bound group; bindings deactivated',
        );
        await s.reminders.alertCoordinators(
          `⚠️ 机器人已被移出群「${'title' in update.chat ? update.chat.title : update.chat.id}」，该群的截止提醒已停用。`,
        );
      }
    } else if (status === 'member' || status === 'administrator') {
      const back = s.bindings.reactivateChat(update.chat.id);
      if (back.length)
        s.logger.info({ chat: update.chat.id }, 'bot back in a bound group; bindings reactivated');
    }
    return next();
  });

  bot.on('message', async (ctx, next) => {
    const message = ctx.message as { migrate_to_chat_id?: number };
    if (message.migrate_to_chat_id) {
      const moved = s.bindings.migrateChat(ctx.chat.id, message.migrate_to_chat_id);
      if (moved.length)
        s.logger.info({ from: ctx.chat.id, to: message.migrate_to_chat_id }, 'group migrated; binding moved');
      return;
    }
    return next();
  });
}

async function someAsync<T>(items: readonly T[], test: (item: T) => Promise<boolean>): Promise<boolean> {
  for (const item of items) if (await test(item)) return true;
  return false;
}

function unitName(s: BotServices, unitId: number | null): string | undefined {
  return unitId === null ? undefined : s.answers.current().roster.units.find((u) => u.id === unitId)?.name;
}

function replyTo(ctx: Context) {
  const id = ctx.message?.message_id;
  return id ? { reply_parameters: { message_id: id, allow_sending_without_reply: true } } : {};
}
