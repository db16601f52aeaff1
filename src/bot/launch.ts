import { createServer, type Server } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Logger } from '../logger.js';
import { registerCommands } from './commands.js';
import { hasSecret, readUpdate, WEBHOOK_SERVER_OPTIONS } from './webhook-body.js';

export interface LaunchOptions {
  readonly webhookUrl?: string | undefined;
  readonly webhookSecret?: string | undefined;
  readonly port: number;
  readonly adminUserIds?: readonly number[];
  readonly logger: Logger;
}

export interface RunningBot {
  /** Stops receiving updates; safe to call more than once. */
  stop(reason: string): Promise<void>;
}

/**
 * Starts the bot: long polling by default, or a webhook server (secret-token checked, with
 * GET /healthz) when a webhook URL is given. Resolves once updates are being received.
 */
export async function launchBot(bot: Telegraf, opts: LaunchOptions): Promise<RunningBot> {
  const { logger } = opts;
  bot.botInfo ??= await bot.telegram.getMe();
  try {
    await registerCommands(bot.telegram, opts.adminUserIds ?? [], logger);
  } catch (err) {
    logger.warn({ err }, 'setMyCommands failed; the command menu may be stale');
  }

  if (opts.webhookUrl) {
    const url = new URL(opts.webhookUrl);
    const path = url.pathname === '/' ? '/telegram' : url.pathname;
    const callback = bot.webhookCallback(path, { secretToken: opts.webhookSecret });
    const server: Server = createServer(WEBHOOK_SERVER_OPTIONS, (req, res) => {
      if (req.method === 'GET' && req.url === '/healthz') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, mode: 'webhook' }));
        return;
      }
      // The secret before the body: a stranger's request is never read; then ≤ 1 MB of JSON that
      // is an update (413 / 400 otherwise), handed to telegraf already parsed.
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== path) {
        res.writeHead(404).end();
        return;
      }
      if (!hasSecret(req, opts.webhookSecret)) {
        res.writeHead(403, { connection: 'close' }).end();
        return;
      }
      void readUpdate(req, res)
        .then((update) => {
          if (!update) return;
          (req as typeof req & { body?: unknown }).body = update;
          return callback(req, res);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'webhook request failed');
          if (!res.headersSent) res.writeHead(500).end();
        });
    });
    server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(opts.port, resolve));
    await bot.telegram.setWebhook(new URL(path, url).toString(), {
      secret_token: opts.webhookSecret,
      allowed_updates: ['message', 'callback_query', 'inline_query', 'my_chat_member'],
    });
    logger.info({ port: opts.port, path, bot: bot.botInfo.username }, 'webhook listening');
    let stopped = false;
    return {
      async stop() {
        if (stopped) return;
        stopped = true;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  let polling = true;
  const done = bot
    .launch({
      allowedUpdates: ['message', 'callback_query', 'inline_query', 'my_chat_member'],
      dropPendingUpdates: false,
    })
    .catch((err: unknown) => logger.error({ err }, 'polling stopped with an error'))
    .finally(() => {
      polling = false;
    });
  logger.info({ bot: bot.botInfo.username }, 'long polling started');
  return {
    async stop(reason: string) {
      if (polling) {
        polling = false;
        try {
          bot.stop(reason);
        } catch {
          // Not running any more: nothing to stop.
        }
      }
      await done;
    },
  };
}
