import type { Composer, Context } from 'telegraf';
import { audienceResolver } from '../../app/audience.js';
import { broadcastTargets, sendBroadcast } from '../../app/broadcast.js';
import { deadlineStatusXlsx } from '../../app/roster-export.js';
import type { Audience } from '../../domain/deadlines/deadline.js';
import { occurrences } from '../../domain/deadlines/deadline.js';
import { audienceLabel, statusText } from '../../domain/deadlines/messages.js';
import {
  EDIT_EXAMPLE,
  parseDeadlineChanges,
  parseDeadlineSpec,
  SPEC_EXAMPLE,
} from '../../domain/deadlines/spec.js';
import { formatLocal, timeLeft } from '../../domain/deadlines/time-text.js';
import { pilotCitiesOf } from '../../domain/roster.js';
import { cutText, fitUnits } from '../../domain/text/cut.js';
import { button, keyboard, onCallback } from '../callback-data.js';
import { Confirmations } from '../confirmations.js';
import { commandPayload } from '../context.js';
import { sendText } from '../reply.js';
import type { BotServices } from '../services.js';
import { bindingLabel, requestKeyboard, requestText } from './groups.js';

const REFUSAL = '抱歉，这个命令只对试点协调人开放，并且需要在与机器人的私聊中使用。';
const CONFIRM_TTL_MS = 10 * 60_000;
/** How long an /invite link stays valid. */
export const INVITE_TTL_MS = 72 * 3600_000;

/** What a confirmation button confirms. */
type PendingAction =
  | { readonly kind: 'broadcast'; readonly audience: Audience; readonly text: string }
  | { readonly kind: 'deldl'; readonly deadlineId: number };

const confirmKeyboard = (token: string, label: string) =>
  keyboard([[button(label, { kind: 'confirm', token }), button('取消', { kind: 'cancel', token })]]);

/**
 * Coordinators' commands in a private chat: deadlines (add, edit, remove), /groups health,
 * /status of a deadline, /broadcast with a confirmation step. Everyone else gets a refusal.
 */
export function coordinatorsFeature(bot: Composer<Context>, s: BotServices): void {
  const confirmations = new Confirmations<PendingAction>(CONFIRM_TTL_MS, s.clock);
  const options = () => ({
    timeZone: s.timeZone,
    now: s.clock(),
    resolveAudience: audienceResolver(s.answers.current()),
  });
  type Handler = (ctx: Context & { payload: string }) => Promise<unknown>;
  /** Private chat only, for users that pass `allowed`; everyone else gets a polite refusal. */
  const only =
    (allowed: (userId: number | undefined) => boolean, refusal: string) =>
    (handler: Handler) =>
    async (ctx: Context) => {
      if (ctx.chat?.type !== 'private' || !allowed(ctx.from?.id)) return ctx.reply(refusal);
      return handler(Object.assign(ctx, { payload: commandPayloadMultiline(ctx) }));
    };
  /** Provincial admins. */
  const guard = only((id) => s.permissions.isAdmin(id), REFUSAL);
  /** Provincial admins and city coordinators (who see their own prefecture only). */
  const coordinatorGuard = only((id) => s.permissions.isCoordinator(id), REFUSAL);
  const actor = (ctx: Context) => ({ id: ctx.from?.id ?? null, channel: 'telegram' as const });
  /** The prefecture a city coordinator is limited to; null for provincial admins. */
  const limitOf = (ctx: Context) =>
    s.permissions.isAdmin(ctx.from?.id) ? null : s.permissions.cityOf(ctx.from?.id);
  const unitName = (id: number) => s.answers.unit(id)?.name;
  const describe = (id: number) => {
    const d = s.deadlineView.get(id);
    if (!d) return '';
    const times = occurrences(d, s.timeZone).map((o) => formatLocal(o.fireAt, s.timeZone).slice(5));
    return [
      `#${d.id} ${d.title}`,
      `截止：${formatLocal(d.dueAt, s.timeZone)}（${timeLeft(d.dueAt, s.clock())}）`,
      `对象：${audienceLabel(d.audience, unitName)}`,
      d.submit ? `提交：${d.submit}` : null,
      `提醒：${times.length ? times.join('、') : '无'}`,
    ]
      .filter(Boolean)
      .join('\n');
  };

  bot.command(
    'newdeadline',
    guard(async (ctx) => {
      if (!ctx.payload)
        return ctx.reply(
          `请按下面的格式添加截止事项（每行一项，对象、提交、提醒可省略）：\n\n${SPEC_EXAMPLE}`,
        );
      const parsed = parseDeadlineSpec(ctx.payload, options());
      if ('error' in parsed) return ctx.reply(`❌ ${parsed.error}`);
      const d = s.admin.addDeadline(actor(ctx), parsed.spec);
      s.logger.info({ deadline: d.id, by: ctx.from?.id }, 'deadline added');
      return ctx.reply(`✅ 已添加：\n${describe(d.id)}`);
    }),
  );

  bot.command(
    'editdeadline',
    guard(async (ctx) => {
      const m = /^#?(\d+)\s*([\s\S]*)$/.exec(ctx.payload);
      if (!m) return ctx.reply(`请写上截止事项编号和要改的字段，例如：\n\n${EDIT_EXAMPLE}`);
      const id = Number(m[1]);
      if (!s.deadlineView.get(id))
        return ctx.reply(`没有编号为 #${id} 的截止事项。发送 /deadlines 查看编号。`);
      const parsed = parseDeadlineChanges(m[2] ?? '', options());
      if ('error' in parsed) return ctx.reply(`❌ ${parsed.error}`);
      s.admin.editDeadline(actor(ctx), id, parsed.changes);
      s.logger.info(
        { deadline: id, by: ctx.from?.id, fields: Object.keys(parsed.changes) },
        'deadline edited',
      );
      return ctx.reply(`✅ 已修改：\n${describe(id)}`);
    }),
  );

  bot.command(
    'deldeadline',
    guard(async (ctx) => {
      const id = Number(/^#?(\d+)$/.exec(ctx.payload)?.[1]);
      if (!id) return ctx.reply('请写上要删除的截止事项编号，例如：/deldeadline 3');
      if (!s.deadlineView.get(id)) return ctx.reply(`没有编号为 #${id} 的截止事项。`);
      const token = confirmations.create(ctx.from!.id, { kind: 'deldl', deadlineId: id });
      return ctx.reply(
        `确定删除下面的截止事项吗？删除后不再提醒，完成记录也会删除。\n\n${describe(id)}`,
        confirmKeyboard(token, '确认删除'),
      );
    }),
  );

  // Confirmations are single-use, bound to the coordinator who asked, and re-checked on press.
  onCallback(bot, 'confirm', async (ctx, { token }) => {
    const job = ctx.chat?.type === 'private' ? confirmations.take(token, ctx.from.id) : null;
    if (!job)
      return ctx.answerCbQuery('这个确认已失效（已使用、已取消或已过期），请重新发送命令。', {
        show_alert: true,
      });
    if (!s.permissions.isAdmin(ctx.from.id)) return ctx.answerCbQuery(REFUSAL, { show_alert: true });
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
    if (job.kind === 'deldl') {
      const removed = s.admin.removeDeadline(actor(ctx), job.deadlineId) !== null;
      s.logger.info({ deadline: job.deadlineId, by: ctx.from.id, removed }, 'deadline removed');
      await ctx.answerCbQuery(removed ? '已删除' : '已经不存在了');
      if (removed) await ctx.reply(`已删除截止事项 #${job.deadlineId}。`);
      return;
    }
    await ctx.answerCbQuery('开始发送');
    const targets = broadcastTargets(job.audience, s.groups.all(), pilotCitiesOf(s.answers.current().roster));
    s.logger.info({ by: ctx.from.id, targets: targets.length }, 'broadcast confirmed');
    // Not awaited: the fan-out is paced behind interactive replies and must not hold this update.
    const by = actor(ctx);
    const chatId = ctx.chat!.id;
    void sendBroadcast(s.notifier, targets, `📢 ${job.text}`)
      .then((report) => {
        s.admin.recordBroadcast(by, job.audience, job.text, report);
        return ctx.telegram.sendMessage(
          chatId,
          `广播完成：成功 ${report.sent} 个群，失败 ${report.failed} 个群。`,
        );
      })
      .catch((err: unknown) => s.logger.error({ err }, 'broadcast failed'));
  });

  onCallback(bot, 'cancel', async (ctx, { token }) => {
    const cancelled = confirmations.cancel(token, ctx.from.id);
    await ctx.answerCbQuery(cancelled ? '已取消' : '按钮已过期，请重新查询');
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  });

  bot.command(
    'invite',
    coordinatorGuard(async (ctx) => {
      if (!ctx.payload)
        return ctx.reply(
          '用法：/invite 单位名 或 /invite 市州，例如：/invite 张掖中学\n会生成一个一次性邀请链接（72 小时内有效）：把机器人加入群时用它，该群就绑定到这个单位或市州。',
        );
      const answerer = s.answers.current();
      const prefecture = answerer.resolvePrefecture(ctx.payload);
      const resolved = prefecture ? null : answerer.resolveUnit(ctx.payload);
      if (resolved && !('unit' in resolved))
        return ctx.reply(
          `「${cutText(ctx.payload, 30)}」可能是：${resolved.candidates
            .slice(0, 10)
            .map((u) => `${u.name}（${u.prefecture}）`)
            .join('、')}。请写完整的单位名称。`,
        );
      const unit = resolved && 'unit' in resolved ? resolved.unit : null;
      if (!prefecture && !unit)
        return ctx.reply(`没有找到「${cutText(ctx.payload, 30)}」。例如：/invite 张掖中学`);
      const target = prefecture
        ? { kind: 'city' as const, prefecture: prefecture.name, unitId: null }
        : { kind: 'unit' as const, prefecture: unit!.prefecture, unitId: unit!.id };
      if (!s.permissions.mayManage(ctx.from?.id, target.prefecture))
        return ctx.reply(`抱歉，您只能为本市州（${limitOf(ctx)}）的群生成邀请。`);
      const { code, invitation } = s.admin.invite(actor(ctx), target, INVITE_TTL_MS);
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
    }),
  );

  bot.command(
    'pending',
    coordinatorGuard(async (ctx) => {
      const limit = limitOf(ctx);
      const list = s.groups.pendingRequests(limit);
      if (!list.length) return ctx.reply('没有等待批准的绑定申请。');
      await ctx.reply(`等待批准的绑定申请（${list.length} 个）：`);
      for (const r of list.slice(0, 20)) {
        await ctx.reply(
          requestText(r, r.unitId === null ? undefined : unitName(r.unitId)),
          requestKeyboard(r.id),
        );
      }
      if (list.length > 20) await ctx.reply(`还有 ${list.length - 20} 个，处理完上面的再发送 /pending。`);
    }),
  );

  bot.command(
    'unbind',
    coordinatorGuard(async (ctx) => {
      const m = /^(-?\d{1,16})$/.exec(ctx.payload);
      if (!m) return ctx.reply('用法（私聊）：/unbind 群ID，例如：/unbind -1001234567890（群ID见 /groups）');
      const chatId = Number(m[1]);
      const limit = limitOf(ctx);
      const mine = s.groups.ofChat(chatId, limit);
      if (!mine.length) return ctx.reply(`群 ${chatId} 没有${limit ? `${limit}的` : ''}绑定。`);
      const removed = mine.flatMap((b) => s.admin.unbind(actor(ctx), chatId, b.threadId) ?? []);
      s.logger.info(
        { chat: chatId, by: ctx.from?.id, removed: removed.length },
        'group unbound by a coordinator',
      );
      return ctx.reply(
        `已解除群 ${removed[0]?.chatTitle ?? chatId} 的绑定：${removed
          .map((b) => bindingLabel(b, b.unitId === null ? undefined : unitName(b.unitId)))
          .join('、')}。该群不会再收到截止提醒。`,
      );
    }),
  );

  bot.command(
    'groups',
    coordinatorGuard(async (ctx) => {
      const limit = limitOf(ctx);
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
          `${state} ${b.chatTitle ?? b.chatId}（${b.chatId}${b.threadId ? `/话题${b.threadId}` : ''}）→ ${bindingLabel(b, b.unitId === null ? undefined : unitName(b.unitId))}；最近送达：${last}${error}`,
        );
      }
      return sendText(ctx, lines.join('\n'));
    }),
  );

  bot.command(
    'status',
    coordinatorGuard(async (ctx) => {
      const id = Number(/^#?(\d+)$/.exec(ctx.payload)?.[1]);
      const limit = limitOf(ctx);
      const progress = id ? s.deadlineStatus.of(id, limit) : null;
      if (!progress) return ctx.reply('请写上截止事项编号，例如：/status 3（发送 /deadlines 查看编号）。');
      const { deadline: d, units, done } = progress;
      if (limit && !units.length) return ctx.reply(`截止事项 #${d.id} 不涉及${limit}的单位。`);
      return sendText(ctx, statusText(d, units, done, s.timeZone, s.clock()));
    }),
  );

  bot.command(
    'broadcast',
    guard(async (ctx) => {
      const m = /^(\S+)\s+([\s\S]+)$/.exec(ctx.payload);
      if (!m)
        return ctx.reply(
          '用法：/broadcast 对象 内容\n对象：全部、试点城市、协调人、市州名或单位名\n例如：/broadcast 兰州 本周五前请提交总结报告',
        );
      const audience = audienceResolver(s.answers.current())(m[1]!);
      if ('error' in audience)
        return ctx.reply(`❌ ${audience.error}\n例如：/broadcast 全部 本周五前请提交总结报告`);
      const text = fitUnits(m[2]!.trim(), 3500);
      const targets = broadcastTargets(
        audience.audience,
        s.groups.all(),
        pilotCitiesOf(s.answers.current().roster),
      );
      if (!targets.length) return ctx.reply('这个对象目前没有已绑定的群，没有可发送的地方。');
      const token = confirmations.create(ctx.from!.id, {
        kind: 'broadcast',
        audience: audience.audience,
        text,
      });
      return ctx.reply(
        `将发送给 ${targets.length} 个群（${audienceLabel(audience.audience, unitName)}）：\n\n📢 ${text}\n\n请确认（10 分钟内有效，只能确认一次）。`,
        confirmKeyboard(token, '确认发送'),
      );
    }),
  );

  bot.command(
    'grant',
    guard(async (ctx) => {
      const m = /^(\d{1,15})\s+(\S+)$/.exec(ctx.payload);
      if (!m) {
        const current = s.permissions.cityCoordinators();
        const list = current.length
          ? current.map((c) => `· 用户 ${c.userId}：${c.prefecture}`).join('\n')
          : '（还没有市州协调人）';
        return ctx.reply(
          `用法：/grant 用户ID 市州，例如：/grant 123456789 兰州\n（用户ID可让对方向 @userinfobot 查询）\n\n现有市州协调人：\n${list}`,
        );
      }
      const prefecture = s.answers.current().resolvePrefecture(m[2]!);
      if (!prefecture) return ctx.reply(`没有找到市州「${m[2]}」。例如：/grant 123456789 兰州`);
      const userId = Number(m[1]);
      const previous = s.admin.grant(actor(ctx), userId, prefecture.name);
      return ctx.reply(
        `✅ 已授权用户 ${userId} 为${prefecture.name}协调人${previous && previous.prefecture !== prefecture.name ? `（原为${previous.prefecture}）` : ''}。\n该用户可以在本市州的群里绑定、解绑，并查看本市州的完成情况。`,
      );
    }),
  );

  bot.command(
    'revoke',
    guard(async (ctx) => {
      const userId = Number(/^(\d{1,15})$/.exec(ctx.payload)?.[1]);
      if (!userId) return ctx.reply('用法：/revoke 用户ID，例如：/revoke 123456789');
      const removed = s.admin.revoke(actor(ctx), userId);
      return ctx.reply(
        removed
          ? `已撤销用户 ${userId} 的${removed.prefecture}协调人权限。`
          : `用户 ${userId} 不是市州协调人。`,
      );
    }),
  );

  bot.command(
    'audit',
    guard(async (ctx) => {
      const limit = Math.min(100, Number(/^(\d+)$/.exec(ctx.payload)?.[1] ?? 20));
      const entries = s.admin.recent(limit);
      if (!entries.length) return ctx.reply('还没有操作记录。');
      const lines = [`最近 ${entries.length} 条操作记录：`];
      for (const e of entries) {
        const who = e.channel === 'cli' ? '命令行' : `用户 ${e.actorId}`;
        lines.push(`#${e.id} ${formatLocal(e.at, s.timeZone)} ${who} ${e.action} ${e.subject}`);
      }
      return sendText(ctx, lines.join('\n'));
    }),
  );

  bot.command(
    'export',
    coordinatorGuard(async (ctx) => {
      const limit = limitOf(ctx);
      const stamp = formatLocal(s.clock(), s.timeZone).slice(0, 10);
      if (!ctx.payload) {
        if (limit)
          return ctx.reply('名单导出只对省级协调人开放。市州协调人可以导出截止事项的完成情况：/export 编号');
        const file = await s.rosterXlsx();
        return ctx.replyWithDocument(
          { source: file, filename: `试点名单-${stamp}.xlsx` },
          { caption: '试点单位名单（含联系人，请勿外传）。修改后可由运维用 roster import 导入。' },
        );
      }
      const id = Number(/^#?(\d+)$/.exec(ctx.payload)?.[1]);
      const progress = id ? s.deadlineStatus.of(id, limit) : null;
      if (!progress)
        return ctx.reply('用法：/export 导出名单；/export 截止事项编号 导出完成情况，例如：/export 3');
      const { deadline: d, done } = progress;
      const rows = progress.units.map((unit) => {
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
    }),
  );
}

/** The command payload keeping line breaks (for multi-line specs). */
function commandPayloadMultiline(ctx: Context): string {
  const text = ctx.text ?? '';
  const rest = text.replace(/^\/\S+[ \t]*/, '');
  return rest.includes('\n') ? rest.normalize('NFKC').trim() : commandPayload(ctx);
}
