import { createBot } from './bot/create-bot.js';
import { launchBot, type RunningBot } from './bot/launch.js';
import { ConfigError, loadConfig } from './config.js';
import { runConsoleChat } from './console/console-chat.js';
import { createLogger } from './logger.js';
import { openRuntime, type Runtime } from './runtime.js';

/** Composition root: config → database → bot (or the offline console) → graceful shutdown. */
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

  const bot = createBot({
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    answers: runtime.answers,
    logger,
  });
  let running: RunningBot | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      await running?.stop(signal);
      closeQuietly(runtime);
      logger.info('stopped');
    })();
    return stopping;
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  running = await launchBot(bot, {
    webhookUrl: config.webhookUrl,
    webhookSecret: config.webhookSecret,
    port: config.port,
    logger,
  });
  logger.info({ units: runtime.roster.load().units.length }, 'ready');
}

function closeQuietly(runtime: Runtime): void {
  try {
    runtime.close();
  } catch {
    // Already closed.
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 78;
    return;
  }
  process.stderr.write(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
