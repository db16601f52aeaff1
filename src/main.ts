import { Telegram } from 'telegraf';
import { createBot, telegramOptions } from './bot/create-bot.js';
import { launchBot, type RunningBot } from './bot/launch.js';
import { SendQueue, telegramSender } from './bot/send-queue.js';
import { ConfigError, loadConfig } from './config.js';
import { runConsoleChat } from './console/console-chat.js';
import { DatabaseOpenError } from './db/client.js';
import { acquireInstanceLock, InstanceLockedError } from './db/instance-lock.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { openRuntime } from './runtime.js';
import { startReminderCron } from './scheduler/reminder-cron.js';
import { createServices } from './services.js';

const HEARTBEAT_MS = 30_000;

/** Composition root: config → database → bot and reminders (or the offline console) → graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, config.botToken);
  const runtime = openRuntime(config, logger);

  if (!config.botToken) {
    process.stderr.write('BOT_TOKEN is not set: running the offline console chat (one question per line).\n');
    try {
      await runConsoleChat(runtime.answers);
    } finally {
      runtime.close();
    }
    return;
  }

  const lock = acquireInstanceLock(runtime.db);
  const heartbeat = setInterval(() => lock.renew(), HEARTBEAT_MS);
  heartbeat.unref();
  // Claims left by a process killed mid-send are given back and planned again.
  const stale = runtime.deliveries.releaseStaleClaims();
  if (stale) logger.warn({ claims: stale }, 'released reminder claims left in flight by the previous run');

  const telegram = await telegramOptions(config);
  const metrics: Metrics = new Metrics(Date.now, (): number => queue.pending);
  const queue: SendQueue = new SendQueue(
    metrics.observeSends(telegramSender(new Telegram(config.botToken, telegram))),
    {
      logger,
    },
  );
  const services = createServices(runtime, config, metrics.observeNotifier(queue), logger);
  const bot = createBot({
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    agent: telegram.agent,
    services,
    pace: metrics.observePace((chat, call) => queue.runPaced(chat, call)),
    onUpdate: (kind) => metrics.updateHandled(kind),
  });
  metrics.observePolling(bot.telegram);

  let running: RunningBot | null = null;
  let cron: ReturnType<typeof startReminderCron> | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      // No new ticks; then the queue lets in-flight sends finish and gives queued ones back, so a
      // running tick ends at once with its unsent claims released for the next start.
      const tickDone = cron?.stop();
      await running?.stop(signal);
      await queue.close();
      await tickDone;
      clearInterval(heartbeat);
      try {
        lock.release();
        runtime.close();
      } catch (err) {
        logger.warn({ err }, 'closing the database failed');
      }
      logger.info('stopped');
    })();
    return stopping;
  };
  // `on`, not `once`: npm (and a process-group signal) can deliver the same signal twice; repeats are ignored.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  // Build the matcher now, not on the first question (it takes ~200 ms).
  runtime.answers.current();
  running = await launchBot(bot, {
    webhookUrl: config.webhookUrl,
    webhookSecret: config.webhookSecret,
    port: config.port,
    adminUserIds: config.adminUserIds,
    logger,
  });
  const tick = () =>
    services.reminders.tick().then(
      (summary) => metrics.tickFinished(summary),
      (err: unknown) => {
        metrics.tickFinished(null);
        throw err;
      },
    );
  cron = startReminderCron(tick, config.timeZone, logger, config.reminderCron);
  logger.info(
    {
      units: runtime.roster.load().units.length,
      timeZone: config.timeZone,
      // Scheme, host and port only: a proxy URL may carry a password.
      ...(config.telegramProxy ? { proxy: proxyLabel(config.telegramProxy) } : {}),
    },
    'ready',
  );
}

function proxyLabel(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

main().catch((err: unknown) => {
  if (err instanceof DatabaseOpenError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  if (err instanceof ConfigError || err instanceof InstanceLockedError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err instanceof ConfigError ? 78 : 75;
    return;
  }
  process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
