import { Telegram } from 'telegraf';
import { menuRolesOf } from './bot/commands.js';
import { createBot, telegramOptions } from './bot/create-bot.js';
import { launchBot, type RunningBot, TelegramFatalError } from './bot/launch.js';
import { SendQueue } from './bot/send-queue.js';
import { DEFAULT_POLL_TIMEOUT_MS, guardTelegram } from './bot/telegram-guard.js';
import { telegramSender } from './bot/telegram-sender.js';
import type { Clock, ClockTimer } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseOpenError } from './db/client.js';
import { acquireInstanceLock, InstanceLockedError, startHeartbeat } from './db/instance-lock.js';
import { Health } from './http/health.js';
import { createLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { redactText } from './redact.js';
import { openRuntime } from './runtime.js';
import { startReminderCron } from './scheduler/reminder-cron.js';
import { createServices } from './services.js';

/** Signals this close to the previous one are the same request, forwarded by npm or tsx. */
const SIGNAL_ECHO_MS = 1500;
/** Exit status when a third signal forces the exit during a shutdown. */
const EXIT_FORCED = 130;

/**
 * After start-up, the catch-up tick, the metrics module and the answer warm-up wait for the first
 * getUpdates to be on its way, at most this long (Telegram slow to answer deleteWebhook).
 */
const FIRST_POLL_WAIT_MS = 2000;

/** In-flight sends and the running tick get this long to finish at shutdown. */
const SHUTDOWN_GRACE_MS = 6000;

let logger: Logger | undefined;

/** Whether `promise` settled within `ms` on `clock`. */
async function within(clock: Clock, ms: number, promise: Promise<unknown>): Promise<boolean> {
  let timer: ClockTimer | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}

/** Composition root: config → database → bot and reminders (or the offline console) → graceful shutdown. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel, config.botToken);
  logger = log;
  const runtime = openRuntime(config, log);

  if (!config.botToken) {
    process.stderr.write('BOT_TOKEN is not set: running the offline console chat (one question per line).\n');
    try {
      // Loaded here: a bot with a token never needs the console (nor node:readline).
      const { runConsoleBot } = await import('./console/console-bot.js');
      await runConsoleBot(runtime, config, logger);
    } finally {
      runtime.close();
    }
    return;
  }

  // The runtime's clock is the one clock: wall time, monotonic time and timers of everything below.
  const { clock } = runtime;
  const lock = acquireInstanceLock(runtime.db, clock);
  const heartbeat = startHeartbeat(lock, log, config.heartbeatMs, { clock });
  // Claims left by a process killed mid-send are given back and planned again.
  const stale = runtime.ports.deliveries.releaseStaleClaims();
  if (stale) log.warn({ claims: stale }, 'released reminder claims left in flight by the previous run');

  const health = new Health({
    mode: config.webhookUrl ? 'webhook' : 'polling',
    probeDatabase: () => lock.probe(),
    databasePath: config.databasePath,
    clock,
  });
  let firstPollCalled!: () => void;
  const firstPoll = new Promise<void>((resolve) => {
    firstPollCalled = resolve;
  });
  const guard = {
    timeoutMs: config.telegramTimeoutMs,
    pollTimeoutMs: DEFAULT_POLL_TIMEOUT_MS - 15_000 + config.telegramTimeoutMs,
    clock,
    onCall: (method: string) => {
      if (method === 'getUpdates') firstPollCalled();
    },
    onSuccess: (method: string) => {
      health.telegramAnswered(method);
      if (method === 'getUpdates') metrics.pollSucceeded();
    },
  };
  const telegram = await telegramOptions(config);
  const metrics: Metrics = new Metrics(clock, (): number => queue.pending);
  const queue: SendQueue = new SendQueue(
    metrics.observeSends(telegramSender(guardTelegram(new Telegram(config.botToken, telegram), guard))),
    { logger: log, clock, backoffBaseMs: config.telegramRetryBaseMs },
  );
  const services = createServices(runtime, config, metrics.observeNotifier(queue), log);
  const bot = createBot({
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    agent: telegram.agent,
    services,
    pace: metrics.observePace((chat, call) => queue.runPaced(chat, call)),
    onHandled: (kind) => metrics.updateHandled(kind),
    guard,
    onUpdate: () => health.updateHandled(),
  });

  let running: RunningBot | null = null;
  let cron: ReturnType<typeof startReminderCron> | null = null;
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      log.info({ reason }, 'shutting down');
      // No new ticks; then the queue lets in-flight sends finish and gives queued ones back, so a
      // running tick ends at once with its unsent claims released for the next start.
      const tickDone = cron?.stop();
      await running?.stop(reason).catch((err: unknown) => log.warn({ err }, 'stopping the bot failed'));
      // In-flight sends get a bounded grace; claims still open then are released at the next start.
      const drained = await within(clock, SHUTDOWN_GRACE_MS, Promise.all([queue.close(), tickDone]));
      if (!drained)
        log.warn(
          { graceMs: SHUTDOWN_GRACE_MS },
          'sends still in flight at shutdown; left for the next start',
        );
      heartbeat.stop();
      try {
        lock.release();
        runtime.close();
      } catch (err) {
        log.warn({ err }, 'closing the database failed');
      }
      log.info('stopped');
      // Whatever still holds the event loop (a hanging socket) must not keep a stopped bot alive.
      setTimeout(() => process.exit(), 1000).unref();
    })();
    return stopping;
  };

  // systemd and Ctrl-C signal the whole process group, and npm and tsx forward the signal again,
  // so one stop request can arrive two or three times within milliseconds: signals closer than
  // SIGNAL_ECHO_MS to the previous one are echoes of it. During a shutdown a repeated request is
  // ignored; only a third deliberate one forces the exit. (Persistent listeners, not `once`: with
  // no listener left, a forwarded repeat would kill the process with the default action.)
  let requests = 0;
  let lastSignalAt = Number.NEGATIVE_INFINITY;
  const onSignal = (signal: NodeJS.Signals) => {
    const at = performance.now();
    const echo = at - lastSignalAt < SIGNAL_ECHO_MS;
    lastSignalAt = at;
    if (echo) return;
    requests++;
    if (requests === 1) {
      void shutdown(signal);
    } else if (requests === 2) {
      log.warn({ signal }, 'already shutting down; send it once more to force the exit');
    } else {
      log.error({ signal }, 'forced exit during shutdown');
      process.exit(EXIT_FORCED);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Build the matcher now, not on the first question. Its pinyin tables (pinyin-pro: ~100 ms and
  // ~11 MB) wait for the first question that needs pinyin.
  runtime.answers.current();
  try {
    running = await launchBot(bot, {
      webhookUrl: config.webhookUrl,
      webhookSecret: config.webhookSecret,
      port: config.port,
      menuRoles: () => menuRolesOf(services),
      logger: log,
      health,
      routes: new Map([['/metrics', metrics.route]]),
      conflictRetryMs: config.conflictRetryMs,
      pollBackoffMs: 2 * config.telegramRetryBaseMs,
      clock,
    });
  } catch (err) {
    await shutdown('start-up failed');
    throw err;
  }
  if (!config.webhookUrl) {
    // Listening first: what follows is CPU work that would hold the first getUpdates back. The
    // extra turn of the event loop lets its request reach the socket.
    await within(clock, FIRST_POLL_WAIT_MS, firstPoll);
    await new Promise(setImmediate);
  }
  if (stopping) {
    // A signal arrived while starting: stop what has just started too.
    await running.stop('shutdown');
    return;
  }
  // prom-client is loaded once polling runs (what was observed so far is replayed).
  metrics.load().catch((err: unknown) => log.error({ err }, 'loading the metrics failed'));
  // One question through the answer path while the first long poll waits, so the first person
  // to ask does not pay for compiling it (~8 ms of a cold start).
  setImmediate(() => {
    // A 401 on that first poll may already have shut down and closed the database.
    if (stopping) return;
    const [unit] = runtime.ports.roster.load().units;
    if (unit) runtime.answers.answer(`${unit.name}是试点吗`);
  });
  void running.failure.then(async (err) => {
    log.error({ exitCode: err.exitCode }, err.message);
    process.stderr.write(`${err.message}\n`);
    process.exitCode = err.exitCode;
    await shutdown('telegram');
  });
  const tick = () =>
    services.reminders.tick().then(
      (summary) => metrics.tickFinished(summary),
      (err: unknown) => {
        metrics.tickFinished(null);
        throw err;
      },
    );
  cron = startReminderCron(tick, config.timeZone, log, config.reminderCron, {
    started: (next) => health.tickStarted(next),
    finished: () => health.tickFinished(),
  });
  log.info(
    {
      units: runtime.ports.roster.load().units.length,
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

// Last line of defence: a stray rejection or exception is logged (token-free), never silent.
process.on('unhandledRejection', (err: unknown) => {
  try {
    logger?.error({ err }, 'unhandled rejection');
  } catch {
    // Nothing else to do.
  }
});
// A synchronous throw that escaped every handler leaves the process in an unknown state (Node's
// own advice): log it token-free and exit 70 so the supervisor restarts a clean process.
process.on('uncaughtException', (err: unknown) => {
  try {
    logger?.fatal({ err }, 'uncaught exception; exiting for the supervisor to restart');
  } catch {
    process.stderr.write(`fatal: ${redactText(err instanceof Error ? err.message : String(err))}\n`);
  }
  process.exit(70);
});

main().catch((err: unknown) => {
  if (err instanceof DatabaseOpenError) {
    process.stderr.write(`${redactText(err.message)}\n`);
    process.exitCode = 1;
    return;
  }
  if (err instanceof ConfigError || err instanceof InstanceLockedError || err instanceof TelegramFatalError) {
    process.stderr.write(`${redactText(err.message)}\n`);
    process.exitCode =
      err instanceof ConfigError ? 78 : err instanceof TelegramFatalError ? err.exitCode : 75;
    return;
  }
  process.stderr.write(
    `fatal: ${redactText(err instanceof Error ? (err.stack ?? err.message) : String(err))}\n`,
  );
  process.exitCode = 1;
});
