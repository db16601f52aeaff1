import type { Telegraf } from 'telegraf';
import { type Clock, sleep, systemClock } from '../clock.js';
import type { Health } from '../http/health.js';
import { type HttpServer, type Route, startHttpServer } from '../http/server.js';
import type { Logger } from '../logger.js';
import { COMMANDS } from './commands.js';
import { type MenuRoles, syncMenus } from './menus.js';
import { hasSecret, readUpdate, WEBHOOK_SERVER_OPTIONS } from './webhook-body.js';

export interface LaunchOptions {
  readonly webhookUrl?: string | undefined;
  readonly webhookSecret?: string | undefined;
  /** PORT of the HTTP server (GET /healthz in both modes, the webhook path in webhook mode); 0 picks one. */
  readonly port: number;
  /** Who gets a command menu of their own (read once polling starts). */
  readonly menuRoles?: () => MenuRoles;
  readonly logger: Logger;
  readonly health: Health;
  /** Extra HTTP routes (exact path → handler) served beside /healthz. */
  readonly routes?: ReadonlyMap<string, Route>;
  /** How long 409 Conflict answers to getUpdates are retried before giving up; default 120 s. */
  readonly conflictRetryMs?: number;
  /** First wait after a polling failure (doubled each time, at most 15 s); default 1 s. */
  readonly pollBackoffMs?: number;
  /** Time of the polling supervisor (conflict window, restart waits); default the system clock. */
  readonly clock?: Clock;
}

/** Telegram will not let this process receive updates: the supervisor must act (exit code given). */
export class TelegramFatalError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'TelegramFatalError';
  }
}

/** 401: the token is wrong or was revoked. Nothing but a new token helps. */
export const EXIT_TOKEN_REJECTED = 77;
/** 409 for longer than the retry window: another process polls or a webhook is set. */
export const EXIT_CONFLICT = 75;

export interface RunningBot {
  /** Stops receiving updates and closes the HTTP server; safe to call more than once. */
  stop(reason: string): Promise<void>;
  /** Settles only if receiving updates failed for good (401, lasting 409). */
  readonly failure: Promise<TelegramFatalError>;
  /** The port the HTTP server listens on, if it runs. */
  readonly port: number | undefined;
}

/** getMe attempts at start-up before giving up (about a minute with the default backoff). */
const START_ATTEMPTS = 6;

const NO_ROLES: MenuRoles = { admins: [], cityCoordinators: [] };

const ALLOWED_UPDATES = ['message', 'callback_query', 'inline_query', 'my_chat_member'] as const;

function codeOf(err: unknown): number | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

export const tokenRejected = () =>
  new TelegramFatalError('BOT_TOKEN was rejected by Telegram (401)', EXIT_TOKEN_REJECTED);

/**
 * Starts the bot: long polling by default (supervised: restarted after failures; 401 is fatal at
 * once, 409 after the retry window), or a webhook (secret-token checked) when a webhook URL is
 * given. The HTTP server with GET /healthz runs in both modes. Resolves once updates are being
 * received; a 401 during start-up rejects with {@link TelegramFatalError}.
 */
export async function launchBot(bot: Telegraf, opts: LaunchOptions): Promise<RunningBot> {
  const { logger } = opts;
  // An HTML error page or a network failure at start-up is retried (logged each time); 401 is final.
  for (let attempt = 1; !bot.botInfo; attempt++) {
    try {
      bot.botInfo = await bot.telegram.getMe();
    } catch (err) {
      if (codeOf(err) === 401) throw tokenRejected();
      if (attempt >= START_ATTEMPTS) throw err;
      const waitMs = Math.min(15_000, (opts.pollBackoffMs ?? 1000) * 2 ** (attempt - 1));
      logger.warn({ err, attempt, retryInMs: waitMs }, 'getMe failed; retrying');
      await sleep(waitMs, opts.clock);
    }
  }
  // The command menu is set beside the start, not before it: polling need not wait for it.
  void Promise.resolve()
    .then(() => syncMenus(bot.telegram, COMMANDS, opts.menuRoles?.() ?? NO_ROLES, logger))
    .catch((err: unknown) => logger.warn({ err }, 'setMyCommands failed; the command menu may be stale'));

  let fail!: (err: TelegramFatalError) => void;
  const failure = new Promise<TelegramFatalError>((resolve) => {
    fail = resolve;
  });

  const routes = new Map(opts.routes ?? []);
  let webhookPath: string | undefined;
  if (opts.webhookUrl) {
    const url = new URL(opts.webhookUrl);
    webhookPath = url.pathname === '/' ? '/telegram' : url.pathname;
    const callback = bot.webhookCallback(webhookPath, { secretToken: opts.webhookSecret });
    // The secret before the body: a stranger's request is never read; then ≤ 1 MB of JSON that
    // is an update (413 / 400 otherwise), handed to telegraf already parsed.
    routes.set(webhookPath, async (req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      if (!hasSecret(req, opts.webhookSecret)) {
        res.writeHead(403, { connection: 'close' }).end();
        return;
      }
      const update = await readUpdate(req, res);
      if (!update) return;
      (req as typeof req & { body?: unknown }).body = update;
      await callback(req, res);
    });
  }

  let http: HttpServer | undefined;
  try {
    http = await startHttpServer({
      port: opts.port,
      health: opts.health,
      routes,
      logger,
      serverOptions: WEBHOOK_SERVER_OPTIONS,
    });
  } catch (err) {
    // Webhook mode cannot work without it; polling mode runs on without the health endpoint.
    if (webhookPath) throw err;
    logger.error({ err, port: opts.port }, 'HTTP server (GET /healthz) could not start; polling anyway');
  }
  const address = http?.server.address();
  const port = typeof address === 'object' && address ? address.port : undefined;
  if (port !== undefined) logger.info({ port }, 'http listening (GET /healthz)');

  if (webhookPath && opts.webhookUrl) {
    await bot.telegram.setWebhook(new URL(webhookPath, opts.webhookUrl).toString(), {
      secret_token: opts.webhookSecret,
      allowed_updates: [...ALLOWED_UPDATES],
    });
    logger.info({ port, path: webhookPath, bot: bot.botInfo.username }, 'webhook listening');
    // When nobody writes, nothing proves Telegram is reachable: ask it now and then.
    const probe = setInterval(() => {
      bot.telegram.getWebhookInfo().then(
        (info) => {
          if (info.last_error_message)
            logger.warn(
              { error: info.last_error_message, pending: info.pending_update_count },
              'webhook errors',
            );
        },
        (err: unknown) => {
          if (codeOf(err) === 401) fail(tokenRejected());
          else logger.warn({ err }, 'getWebhookInfo failed');
        },
      );
    }, 60_000);
    probe.unref();
    return {
      port,
      failure,
      async stop() {
        clearInterval(probe);
        await http?.close();
      },
    };
  }

  const polling = supervisePolling(bot, opts, fail);
  logger.info({ bot: bot.botInfo.username }, 'long polling started');
  return {
    port,
    failure,
    async stop(reason: string) {
      await polling.stop(reason);
      await http?.close();
    },
  };
}

/**
 * telegraf's polling stops for good on any error but network and 5xx ones (telegraf 4.16), and
 * on 401/409 in particular. This loop restarts it with backoff and logs each failure; 401 is
 * fatal at once, 409 once it has lasted `conflictRetryMs` without a successful getUpdates.
 */
function supervisePolling(
  bot: Telegraf,
  opts: LaunchOptions,
  fail: (err: TelegramFatalError) => void,
): { stop(reason: string): Promise<void> } {
  const { logger, health } = opts;
  const conflictRetryMs = opts.conflictRetryMs ?? 120_000;
  const baseMs = opts.pollBackoffMs ?? 1000;
  const clock = opts.clock ?? systemClock;
  let stopping = false;
  let wake: (() => void) | undefined;
  let running = false;
  // A wait that stop() cuts short.
  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = clock.setTimeout(done, ms);
      function done() {
        clock.clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = async () => {
    let failures = 0;
    let conflictSince: number | undefined;
    while (!stopping) {
      const startedAt = clock.now();
      running = true;
      try {
        await bot.launch({ allowedUpdates: [...ALLOWED_UPDATES], dropPendingUpdates: false });
        running = false;
        if (stopping) return;
        logger.warn('long polling ended without an error; restarting');
      } catch (err) {
        running = false;
        if (stopping) return;
        const code = codeOf(err);
        if (code === 401) {
          logger.error({ err }, 'getUpdates: 401 Unauthorized');
          fail(tokenRejected());
          return;
        }
        const pollOk = health.lastTelegramAt;
        if (pollOk !== null && pollOk >= startedAt) failures = 0;
        failures++;
        const waitMs = Math.min(15_000, baseMs * 2 ** Math.min(failures - 1, 10));
        if (code === 409) {
          if (conflictSince === undefined || (pollOk !== null && pollOk >= conflictSince)) {
            conflictSince = clock.now();
          }
          const lasted = clock.now() - conflictSince;
          if (lasted >= conflictRetryMs) {
            fail(
              new TelegramFatalError(
                `getUpdates answered 409 Conflict for ${Math.round(lasted / 1000)} s: another process polls with this token or a webhook is set`,
                EXIT_CONFLICT,
              ),
            );
            return;
          }
          logger.warn(
            { err, attempt: failures, retryInMs: waitMs, conflictForMs: lasted },
            'getUpdates: 409 Conflict (another poller?); retrying',
          );
        } else {
          conflictSince = undefined;
          logger.error({ err, attempt: failures, retryInMs: waitMs }, 'long polling failed; restarting');
        }
        await nap(waitMs);
      }
    }
  };
  const done = loop().catch((err: unknown) => logger.error({ err }, 'polling supervisor failed'));

  return {
    async stop(reason: string) {
      if (!stopping) {
        stopping = true;
        wake?.();
        if (running) {
          // bot.stop throws while launch is still before its polling loop: try until it takes.
          const kick = () => {
            try {
              bot.stop(reason);
              return true;
            } catch {
              return false;
            }
          };
          if (!kick()) {
            const retry = setInterval(() => {
              if (kick()) clearInterval(retry);
            }, 100);
            void done.finally(() => clearInterval(retry));
          }
        }
      }
      await done;
    },
  };
}
