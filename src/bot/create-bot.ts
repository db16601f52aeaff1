import { Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { AnswerService } from '../app/answer-service.js';
import type { Logger } from '../logger.js';
import { membershipFeature } from './features/membership.js';

export interface BotDeps {
  readonly token: string;
  /** Bot API root, e.g. http://127.0.0.1:8081 for the fake API in tests. */
  readonly apiRoot: string;
  readonly answers: AnswerService;
  readonly logger: Logger;
  /** Preset identity (tests); otherwise fetched with getMe at launch. */
  readonly botInfo?: UserFromGetMe;
}

/** Builds the bot with every feature and one error boundary; does not start it. */
export function createBot(deps: BotDeps): Telegraf {
  const bot = new Telegraf(deps.token, { telegram: { apiRoot: deps.apiRoot }, handlerTimeout: 60_000 });
  if (deps.botInfo) bot.botInfo = deps.botInfo;

  bot.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    deps.logger.debug(
      { update: ctx.update.update_id, type: ctx.updateType, ms: Math.round(performance.now() - started) },
      'update handled',
    );
  });
  membershipFeature(bot, deps.answers);

  bot.catch(async (err, ctx) => {
    deps.logger.error({ err, update: ctx.update.update_id, type: ctx.updateType }, 'handler failed');
    try {
      if (ctx.chat) await ctx.reply('抱歉，处理这条消息时出错了，请稍后再试。');
    } catch {
      // The chat may be unreachable; the error is already logged.
    }
  });
  return bot;
}
