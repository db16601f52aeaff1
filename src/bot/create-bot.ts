import type { Agent } from 'node:http';
import { Composer, type Context, Telegraf, type Telegram } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { sleep } from '../clock.js';
import { answerStaleCallbacks } from './callback-data.js';
import type { BotEnv } from './command.js';
import { COMMANDS } from './commands.js';
import { CONFIRM_TTL_MS, Confirmations } from './confirmations.js';
import { broadcastConfirmed } from './features/broadcast.js';
import { confirmationsFeature } from './features/confirmations.js';
import { removeConfirmed } from './features/deadline-editing.js';
import { deadlinesFeature } from './features/deadlines.js';
import { groupLifecycleFeature } from './features/group-lifecycle.js';
import { groupsFeature } from './features/groups.js';
import { membershipFeature } from './features/membership.js';
import { registerCommands } from './filters/command-guard.js';
import { HandlerPool } from './handler-pool.js';
import { type Pace, paceTelegram } from './paced-telegram.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';
import type { BotServices } from './services.js';
import { type GuardOptions, guardTelegram } from './telegram-guard.js';

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
  /** Told the kind of every update once its handlers have run (metrics). */
  readonly onHandled?: (kind: string) => void;
  /** Where updates are handled off telegraf's loop; tests pass one to wait for idle. */
  readonly handlers?: HandlerPool;
  /** Per-user fair use (see rate-limit.ts); defaults apply when omitted. */
  readonly rateLimit?: RateLimitOptions;
  /** Timeouts and success hook of the Telegram boundary (see telegram-guard.ts). */
  readonly guard?: GuardOptions;
  /** Called after each update was received (health tracking). */
  readonly onUpdate?: () => void;
  /** Serves every Bot API call in-process instead of over HTTP (the offline console). */
  readonly callApi?: (method: string, payload: Record<string, unknown>) => Promise<unknown>;
}

/** Replies when the database stays locked after retries (another program holds it). */
export const BUSY_REPLY = '系统繁忙，请稍后再试';
const ERROR_REPLY = '抱歉，处理这条消息时出错了，请稍后再试。';
/** Waits before re-running an update whose handler met a locked database. */
const BUSY_RETRY_MS = [1000, 3000];

/** A webhook body (or a polled item) that is a Telegram update: an object with an integer update_id and a payload. */
export function isUpdate(value: unknown): value is Update {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(record.update_id) &&
    Object.entries(record).some(([k, v]) => k !== 'update_id' && typeof v === 'object' && v !== null)
  );
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

function safeLog(services: BotServices, err: unknown, update: unknown, msg: string): void {
  try {
    services.logger.error({ err, update }, msg);
  } catch {
    try {
      process.stderr.write(`${msg}\n`);
    } catch {
      // Nowhere left to report it.
    }
  }
}

/** Builds the bot with every feature and one error boundary; does not start it. */
export function createBot(deps: BotDeps): Telegraf {
  const { services } = deps;
  const telegram = deps.agent
    ? { apiRoot: deps.apiRoot, agent: deps.agent, attachmentAgent: deps.agent }
    : { apiRoot: deps.apiRoot };
  const bot = new Telegraf(deps.token, { telegram, handlerTimeout: 60_000 });
  if (deps.botInfo) bot.botInfo = deps.botInfo;

  // The offline console serves every Bot API call in-process (console-bot.ts), under the same
  // boundary and pacing as the network client.
  const serve = (telegram: Telegram) => {
    const local = deps.callApi;
    if (!local) return;
    telegram.callApi = ((method: string, payload: Record<string, unknown>) =>
      local(method, payload ?? {})) as Telegram['callApi'];
  };
  // The redaction/timeout boundary first, pacing over it: every error any code sees is scrubbed.
  serve(bot.telegram);
  guardTelegram(bot.telegram, deps.guard);
  if (deps.pace) paceTelegram(bot.telegram, deps.pace);
  // telegraf builds a Telegram per update for ctx.reply; each one gets the same treatment.
  bot.use((ctx, next) => {
    serve(ctx.telegram);
    guardTelegram(ctx.telegram, deps.guard);
    if (deps.pace) paceTelegram(ctx.telegram, deps.pace);
    return next();
  });

  // Anything that is not an update (null, [], {"update_id":5}) is dropped before telegraf
  // touches it: it would throw outside every handler.
  const handleUpdate = bot.handleUpdate.bind(bot);
  bot.handleUpdate = async (update, webhookResponse) => {
    if (!isUpdate(update)) {
      services.logger.warn(
        { kind: Array.isArray(update) ? 'array' : typeof update },
        'ignored a body that is not an update',
      );
      if (webhookResponse && !webhookResponse.writableEnded) webhookResponse.end();
      return;
    }
    try {
      await handleUpdate(update, webhookResponse);
    } catch (err) {
      // bot.catch handles handler errors; this is for telegraf's own (it must never reach the process).
      safeLog(services, err, update.update_id, 'update failed outside the handlers');
    }
    try {
      deps.onUpdate?.();
    } catch {
      // Health tracking must not fail an update.
    }
  };

  // The error boundary: logs and tells the user; nothing in it may throw.
  const onError = async (err: unknown, ctx: Context) => {
    let update: unknown;
    try {
      update = ctx.update?.update_id;
    } catch {
      update = undefined;
    }
    safeLog(services, err, update, services.isBusy(err) ? 'database stayed busy' : 'handler failed');
    try {
      if (ctx.callbackQuery)
        await ctx.answerCbQuery(services.isBusy(err) ? BUSY_REPLY : '抱歉，出错了，请稍后再试。');
      else if (ctx.chat) await ctx.reply(services.isBusy(err) ? BUSY_REPLY : ERROR_REPLY);
    } catch {
      // The chat may be unreachable; the error is already logged.
    }
  };

  // Every feature in one composer, so that an update can be handled again from the start.
  const features = new Composer<Context>();
  const env: BotEnv = {
    s: services,
    commands: COMMANDS,
    confirmations: new Confirmations(CONFIRM_TTL_MS, services.clock),
  };
  registerCommands(features, env);
  groupsFeature(features, env);
  groupLifecycleFeature(features, env);
  deadlinesFeature(features, env);
  confirmationsFeature(features, env, { deldl: removeConfirmed, broadcast: broadcastConfirmed });
  // Last: free text and mentions, once every command had its chance.
  membershipFeature(features, env);
  // After every button handler: forged, malformed and outdated callbacks are answered too.
  answerStaleCallbacks(features);
  const handle = features.middleware();

  /**
   * Runs the features for one update. A locked database (an external program holds the write
   * lock past the busy timeout) is waited out: the update is handled again after a pause, as
   * long as nothing was sent for it yet.
   */
  const run = async (ctx: Context) => {
    const started = services.clock.monotonic();
    let sent = false;
    const callApi = ctx.telegram.callApi.bind(ctx.telegram) as (...a: unknown[]) => Promise<unknown>;
    ctx.telegram.callApi = ((method: string, ...rest: unknown[]) => {
      if (!method.startsWith('get')) sent = true;
      return callApi(method, ...rest);
    }) as typeof ctx.telegram.callApi;
    for (let attempt = 0; ; attempt++) {
      try {
        await handle(ctx, () => Promise.resolve());
        break;
      } catch (err) {
        if (!services.isBusy(err) || sent || attempt >= BUSY_RETRY_MS.length) throw err;
        services.logger.warn(
          { update: ctx.update.update_id, attempt: attempt + 1 },
          'database is busy; handling the update again',
        );
        await sleep(BUSY_RETRY_MS[attempt] ?? 0, services.clock);
      }
    }
    deps.onHandled?.(ctx.updateType);
    services.logger.debug(
      {
        update: ctx.update.update_id,
        type: ctx.updateType,
        // The sender's user id (README: finding ids for ADMIN_USER_IDS); debug level only.
        from: ctx.from?.id,
        ms: Math.round(services.clock.monotonic() - started),
      },
      'update handled',
    );
  };

  const pool = deps.handlers ?? new HandlerPool();
  bot.use(
    rateLimit({
      clock: services.clock,
      ...deps.rateLimit,
      onLimited: (userId) => services.logger.warn({ userId }, 'user over the rate limit; excess dropped'),
    }),
  );
  // Handlers run in the background (see handler-pool.ts), so telegraf's polling is never held.
  bot.use((ctx) =>
    pool.admit(String(ctx.chat?.id ?? ctx.from?.id ?? 'none'), () =>
      run(ctx).catch((err) => onError(err, ctx)),
    ),
  );

  bot.catch(onError);
  return bot;
}
