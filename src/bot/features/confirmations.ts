import type { Composer, Context } from 'telegraf';
import { onCallback, STALE_BUTTON } from '../callback-data.js';
import type { BotEnv } from '../command.js';
import type { ConfirmedAction } from '../confirmations.js';
import { inPrivate } from '../filters/place.js';
import { COORDINATORS_ONLY } from '../filters/roles.js';

/** What runs once a confirmation is pressed, per kind of pending action. */
export type ConfirmedHandlers = {
  readonly [K in ConfirmedAction['kind']]: (
    ctx: Context,
    action: Extract<ConfirmedAction, { kind: K }>,
    env: BotEnv,
  ) => Promise<void>;
};

/**
 * The 确认 / 取消 buttons of risky actions. Confirmations are single-use, bound to the coordinator
 * who asked, and re-checked on press (still a provincial admin, in the private chat).
 */
export function confirmationsFeature(bot: Composer<Context>, env: BotEnv, run: ConfirmedHandlers): void {
  const { s, confirmations } = env;
  onCallback(bot, 'confirm', async (ctx, { token }) => {
    const job = inPrivate(ctx) ? confirmations.take(token, ctx.from.id) : null;
    if (!job)
      return ctx.answerCbQuery('这个确认已失效（已使用、已取消或已过期），请重新发送命令。', {
        show_alert: true,
      });
    if (!s.permissions.isAdmin(ctx.from.id))
      return ctx.answerCbQuery(COORDINATORS_ONLY, { show_alert: true });
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
    if (job.kind === 'deldl') return run.deldl(ctx, job, env);
    return run.broadcast(ctx, job, env);
  });

  onCallback(bot, 'cancel', async (ctx, { token }) => {
    const cancelled = confirmations.cancel(token, ctx.from.id);
    await ctx.answerCbQuery(cancelled ? '已取消' : STALE_BUTTON);
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  });
}
