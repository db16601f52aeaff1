import type { Agent } from 'node:http';
import { type Context, Telegraf } from 'telegraf';
import type { UserFromGetMe } from 'telegraf/types';
import type { Answer } from '../domain/answer.js';
import { answerStaleCallbacks } from './callback-data.js';
import { coordinatorsFeature } from './features/coordinators.js';
import { deadlinesFeature, scopeOf } from './features/deadlines.js';
import { groupsFeature } from './features/groups.js';
import { membershipFeature } from './features/membership.js';
import { HandlerPool } from './handler-pool.js';
import { type Pace, paceTelegram } from './paced-telegram.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';
import type { BotServices } from './services.js';

export interface BotDeps {
  readonly token: string;
  /** Bot API root, e.g. http://127.0.0.1:8081 for the fake API in tests. */
  readonly apiRoot: string;
  /** Carries every Bot API request (see telegramOptions); telegraf's own keep-alive agent when absent. */
  readonly agent?: Agent | undefined;
  readonly services: BotServices;
  /** Preset identity (tests); otherwise fetched with getMe at launch. */
  readonly botInfo?: UserFromGetMe;
  /** Paces every reply through the send queue (see paced-telegram.ts). */
  readonly pace?: Pace;
  /** Told the kind of every update once it has been handled (metrics). */
  readonly onUpdate?: (kind: string) => void;
  /** Where updates are handled off telegraf's loop; tests pass one to wait for idle. */
  readonly handlers?: HandlerPool;
  /** Per-user fair use (see rate-limit.ts); defaults apply when omitted. */
  readonly rateLimit?: RateLimitOptions;
}

/**
 * The agent for a proxy URL: http:// or https:// (HTTP CONNECT tunnel) or socks5:// (socks5h://
 * resolves names at the proxy, socks4:// too). Kept alive like telegraf's default agent.
 */
export async function proxyAgent(url: string): Promise<Agent> {
  // Loaded only when a proxy is configured.
  if (/^socks/i.test(url)) {
    const { SocksProxyAgent } = await import('socks-proxy-agent');
    return new SocksProxyAgent(url, { keepAlive: true });
  }
  const { HttpsProxyAgent } = await import('https-proxy-agent');
  return new HttpsProxyAgent(url, { keepAlive: true });
}

/**
 * Options for every telegraf `Telegram` client of the process (the bot, the CLI's sender): the API
 * root and, with TELEGRAM_PROXY (or HTTPS_PROXY), one proxy agent for every call — long polling,
 * sends, and uploads, including files telegraf fetches by URL. telegraf drops the agent when the
 * API root is http:// (only the local fake in tests is).
 */
export async function telegramOptions(config: {
  telegramApiRoot: string;
  telegramProxy?: string | undefined;
}): Promise<{ apiRoot: string; agent?: Agent; attachmentAgent?: Agent }> {
  if (!config.telegramProxy) return { apiRoot: config.telegramApiRoot };
  const agent = await proxyAgent(config.telegramProxy);
  return { apiRoot: config.telegramApiRoot, agent, attachmentAgent: agent };
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
  const telegram = deps.agent
    ? { apiRoot: deps.apiRoot, agent: deps.agent, attachmentAgent: deps.agent }
    : { apiRoot: deps.apiRoot };
  const bot = new Telegraf(deps.token, { telegram, handlerTimeout: 60_000 });
  if (deps.botInfo) bot.botInfo = deps.botInfo;

  if (deps.pace) {
    const pace = deps.pace;
    // telegraf builds a Telegram per update for ctx.reply; each one is paced like bot.telegram.
    paceTelegram(bot.telegram, pace);
    bot.use((ctx, next) => {
      paceTelegram(ctx.telegram, pace);
      return next();
    });
  }
  const onError = async (err: unknown, ctx: Context) => {
    services.logger.error({ err, update: ctx.update.update_id, type: ctx.updateType }, 'handler failed');
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery('抱歉，出错了，请稍后再试。').catch(() => undefined);
      else if (ctx.chat) await ctx.reply('抱歉，处理这条消息时出错了，请稍后再试。');
    } catch {
      // The chat may be unreachable; the error is already logged.
    }
  };
  // Handlers never hold telegraf's update loop (see handler-pool.ts): the next getUpdates is not
  // delayed by a reply waiting for its paced send.
  const pool = deps.handlers ?? new HandlerPool();
  // Before the pool: a flood's excess is dropped here, never queued.
  bot.use(
    rateLimit({
      ...deps.rateLimit,
      onLimited: (userId) => services.logger.warn({ userId }, 'user over the rate limit; excess dropped'),
    }),
  );
  bot.use((ctx, next) =>
    pool.admit(String(ctx.chat?.id ?? ctx.from?.id ?? 'none'), () =>
      next().catch((err) => onError(err, ctx)),
    ),
  );
  bot.use(async (ctx, next) => {
    const started = performance.now();
    await next();
    deps.onUpdate?.(ctx.updateType);
    services.logger.debug(
      {
        update: ctx.update.update_id,
        type: ctx.updateType,
        // The sender's user id (README: finding ids for ADMIN_USER_IDS); debug level only.
        from: ctx.from?.id,
        ms: Math.round(performance.now() - started),
      },
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

  bot.catch(onError);
  return bot;
}
