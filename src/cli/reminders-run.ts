/**
 * `reminders run`: one reminder tick from the command line. Sending what is due *later* would
 * deliver it early and record it as sent (so the real reminder never goes out), so a future
 * `--at` needs `--dry-run` (show, send nothing) or `--force` (a rehearsal, loudly announced).
 */
import { Telegram } from 'telegraf';
import type { TickSummary } from '../app/reminders.js';
import { telegramOptions } from '../bot/create-bot.js';
import { SendQueue } from '../bot/send-queue.js';
import { guardTelegram } from '../bot/telegram-guard.js';
import { telegramSender } from '../bot/telegram-sender.js';
import type { Config } from '../config.js';
import { formatLocal } from '../domain/deadlines/time-text.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { createServices } from '../services.js';
import { parseInstant, UsageError, type Write } from './commands.js';

export interface RunOptions {
  readonly at?: string;
  readonly json?: boolean;
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

/** Exit status when some reminders could not be sent now (Telegram unreachable, token rejected). */
export const EXIT_POSTPONED = 75;

/** A tick as of `--at` (default now); resolves with the exit status. */
export async function runRemindersCommand(
  runtime: Runtime,
  config: Config,
  logger: Logger,
  opts: RunOptions,
  write: Write,
  warn: Write,
): Promise<number> {
  const now = runtime.clock.now();
  const at = opts.at ? parseInstant(opts.at, '--at', config.timeZone) : now;
  const future = at > now;
  if (future && !opts.dryRun && !opts.force) {
    throw new UsageError(
      `--at ${opts.at} is in the future: sending now would deliver those reminders early and record them as sent, so they would not go out at their time. Use --dry-run to see what would be sent, or --force for a rehearsal.`,
    );
  }

  if (opts.dryRun) {
    const services = createServices(runtime, config, refusingNotifier, logger);
    const messages = services.reminders.plan.preview(at);
    if (opts.json) {
      write(JSON.stringify({ dryRun: true, at: new Date(at).toISOString(), messages }));
    } else {
      write(
        `dry run as of ${formatLocal(at, config.timeZone)}: ${messages.length} message(s) would be sent; nothing is sent or recorded`,
      );
      for (const m of messages) {
        write(
          `--- to chat ${m.chatId}${m.threadId ? ` topic ${m.threadId}` : ''} (deadlines ${m.deadlineIds.map((id) => `#${id}`).join(', ')})`,
        );
        write(m.text);
      }
    }
    return 0;
  }

  if (!config.botToken)
    throw new UsageError('BOT_TOKEN is required to send reminders (set it in the environment or .env)');
  if (future) {
    warn(
      `WARNING: --force: sending NOW the reminders due at ${formatLocal(at, config.timeZone)}. They are recorded as sent and will NOT go out again at their real time.`,
    );
  }
  const telegram = guardTelegram(new Telegram(config.botToken, await telegramOptions(config)), {
    timeoutMs: config.telegramTimeoutMs,
  });
  const queue = new SendQueue(telegramSender(telegram), {
    logger,
    clock: runtime.clock,
    backoffBaseMs: config.telegramRetryBaseMs,
  });
  let summary: TickSummary;
  try {
    const services = createServices(runtime, config, queue, logger);
    summary = await services.reminders.tick(at);
  } finally {
    await queue.close();
  }
  const counters = {
    sent: summary.sent,
    failed: summary.failed,
    deactivated: summary.deactivated,
    migrated: summary.migrated,
    postponed: summary.retried,
    announced: summary.announced ?? 0,
  };
  if (opts.json) write(JSON.stringify(counters));
  else
    write(
      `sent ${counters.sent}, failed ${counters.failed}, deactivated ${counters.deactivated}, migrated ${counters.migrated}, postponed ${counters.postponed}, announced ${counters.announced}`,
    );
  if (counters.postponed > 0) {
    warn(
      `error: ${counters.postponed} message(s) could not be sent now (Telegram unreachable, timing out or rejecting the token); they stay due and the next tick sends them`,
    );
    return EXIT_POSTPONED;
  }
  return 0;
}

/** Planning never sends; a notifier that refuses makes that explicit. */
const refusingNotifier = {
  enqueue: async () => ({ ok: false as const, kind: 'gave_up' as const, description: 'offline' }),
};
