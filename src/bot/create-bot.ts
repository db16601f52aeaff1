import { type Context, Telegraf, type Telegram } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { Answer } from '../domain/answer.js';
import { answerStaleCallbacks } from './callback-data.js';
import { coordinatorsFeature } from './features/coordinators.js';
import { deadlinesFeature, scopeOf } from './features/deadlines.js';
import { groupsFeature } from './features/groups.js';
import { membershipFeature } from './features/membership.js';
import { type Pace, paceTelegram } from './paced-telegram.js';
import type { BotServices } from './services.js';

export interface BotDeps {
  readonly token: string;
  /** Bot API root, e.g. http://127.0.0.1:8081 for the fake API in tests. */
  readonly apiRoot: string;
  readonly services: BotServices;
  /** Preset identity (tests); otherwise fetched with getMe at launch. */
  readonly botInfo?: UserFromGetMe;
  /** Paces every reply through the send queue (see paced-telegram.ts). */
  readonly pace?: Pace;
  /** Serves every Bot API call in-process instead of over HTTP (the offline console). */
  readonly callApi?: (method: string, payload: Record<string, unknown>) => Promise<unknown>;
}

/**
 * Unit contacts are for coordinators: in a private chat with a provincial admin, or with the
 * city coordinator of the unit's prefecture, a pilot answer shows the unit's contact.
 */
function withContacts(s: BotServices, ctx: Context, answer: Answer): Answer {
  const unit = answer.verdict === 'pilot' ? answer.matches[0] : undefined;
  if (!unit?.unitId || ctx.chat?.type !== 'private' || !s.permissions.mayManage(ctx.from?.id, unit.city))
    return answer;
  const contact = s.roster.contactOf(unit.unitId);
  if (!contact) return answer;
  const line = `单位联系人（仅协调人可见）：${[contact.person, contact.phone].filter(Boolean).join('，')}`;
  return { ...answer, reply: `${answer.reply}\n${line}` };
}

/** Builds the bot with every feature and one error boundary; does not start it. */
export function createBot(deps: BotDeps): Telegraf {
  const { services } = deps;
  const bot = new Telegraf(deps.token, { telegram: { apiRoot: deps.apiRoot }, handlerTimeout: 60_000 });
  if (deps.botInfo) bot.botInfo = deps.botInfo;

  if (deps.callApi) {
    const local = deps.callApi;
    const serve = (telegram: Telegram) => {
      telegram.callApi = ((method: string, payload: Record<string, unknown>) =>
        local(method, payload ?? {})) as Telegram['callApi'];
    };
    // telegraf builds a Telegram per update for ctx.reply: each one is served locally too.
    serve(bot.telegram);
    bot.use((ctx, next) => {
      serve(ctx.telegram);
      return next();
    });
  }

  if (deps.pace) {
    const pace = deps.pace;
    // telegraf builds a Telegram per update for ctx.reply; each one is paced like bot.telegram.
    paceTelegram(bot.telegram, pace);
    bot.use((ctx, next) => {
      paceTelegram(ctx.telegram, pace);
      return next();
    });
  }
  bot.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    services.logger.debug(
      { update: ctx.update.update_id, type: ctx.updateType, ms: Math.round(performance.now() - started) },
      'update handled',
    );
  });
  groupsFeature(bot, services);
  deadlinesFeature(bot, services);
  coordinatorsFeature(bot, services);
  // Last: free text and mentions, once every command had its chance.
  membershipFeature(bot, services.answers, {
    scopeOf: (ctx) => scopeOf(services, ctx),
    enrich: (ctx, answer) => withContacts(services, ctx, answer),
  });
  // After every button handler: forged, malformed and outdated callbacks are answered too.
  answerStaleCallbacks(bot);

  bot.catch(async (err, ctx) => {
    services.logger.error({ err, update: ctx.update.update_id, type: ctx.updateType }, 'handler failed');
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery('抱歉，出错了，请稍后再试。').catch(() => undefined);
      else if (ctx.chat) await ctx.reply('抱歉，处理这条消息时出错了，请稍后再试。');
    } catch {
      // The chat may be unreachable; the error is already logged.
    }
  });
  return bot;
}
