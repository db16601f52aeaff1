import type { Context } from 'telegraf';
import { audienceResolver } from '../../app/audience.js';
import { broadcastTargets, sendBroadcast } from '../../app/broadcast.js';
import { audienceRoster } from '../../domain/deadlines/audience.js';
import type { Audience } from '../../domain/deadlines/deadline.js';
import { audienceLabel } from '../../domain/deadlines/messages.js';
import { fitUnits } from '../../domain/text/cut.js';
import { unitNameOf } from '../chat-scope.js';
import { type BotEnv, command } from '../command.js';
import { actorOf, commandArgsMultiline } from '../context.js';
import type { BotServices } from '../services.js';
import { confirmKeyboard } from '../views/confirm.js';

/** The longest notice text a broadcast sends (room left for 📢 and Telegram's 4,096). */
const MAX_NOTICE = 3500;

const targetsOf = (s: BotServices, audience: Audience) =>
  broadcastTargets(audience, s.groups.all(), audienceRoster(s.answers.current().roster));

/** /broadcast: a notice to the bound groups of an audience, sent once the admin confirms it. */
export const broadcastCommand = command({
  name: 'broadcast',
  description: '向群发通知',
  usage: '对象 内容',
  example: '兰州 内容',
  who: 'admin',
  where: 'private',
  parse: (text) => {
    const m = /^(\S+)\s+([\s\S]+)$/.exec(commandArgsMultiline(text));
    return m ? { audience: m[1]!, text: m[2]!.trim() } : null;
  },
  handle: async (ctx, args, { s, confirmations }) => {
    if (!args)
      return ctx.reply(
        '用法：/broadcast 对象 内容\n对象：全部、试点城市、协调人、市州名或单位名\n例如：/broadcast 兰州 本周五前请提交总结报告',
      );
    const audience = audienceResolver(s.answers.current())(args.audience);
    if ('error' in audience)
      return ctx.reply(`❌ ${audience.error}\n例如：/broadcast 全部 本周五前请提交总结报告`);
    const text = fitUnits(args.text, MAX_NOTICE);
    const targets = targetsOf(s, audience.audience);
    if (!targets.length) return ctx.reply('这个对象目前没有已绑定的群，没有可发送的地方。');
    const token = confirmations.create(ctx.from!.id, {
      kind: 'broadcast',
      audience: audience.audience,
      text,
    });
    return ctx.reply(
      `将发送给 ${targets.length} 个群（${audienceLabel(audience.audience, (id) => unitNameOf(s, id))}）：\n\n📢 ${text}\n\n请确认（10 分钟内有效，只能确认一次）。`,
      confirmKeyboard(token, '确认发送'),
    );
  },
});

/** A confirmed broadcast: the fan-out runs paced in the background; the admin gets the report. */
export async function broadcastConfirmed(
  ctx: Context,
  job: { readonly audience: Audience; readonly text: string },
  { s }: BotEnv,
): Promise<void> {
  await ctx.answerCbQuery('开始发送');
  const targets = targetsOf(s, job.audience);
  s.logger.info({ by: ctx.from?.id, targets: targets.length }, 'broadcast confirmed');
  // Not awaited: the fan-out is paced behind interactive replies and must not hold this update.
  const by = actorOf(ctx);
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
}
