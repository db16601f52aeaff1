import { createServer, type Server } from 'node:http';
import type { Telegraf } from 'telegraf';
import type { Logger } from '../logger.js';
import { registerCommands } from './commands.js';

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
    const server: Server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/healthz') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, mode: 'webhook' }));
        return;
      }
      void callback(req, res);
    });
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
