import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

/** Called around each tick (health tracking); `next` is the following scheduled trigger. */
export interface TickHooks {
  readonly started?: (next: Date | null) => void;
  readonly finished?: () => void;
}

export interface ReminderCron {
  /** Stops triggering and waits for a running tick to finish. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Triggers `tick` on a cron schedule (every minute by default) in the given time zone, and once right away to catch up after
 * downtime. Cron only triggers; what is due is decided from stored data by the tick, so a
 * missed or doubled trigger is harmless. Ticks never overlap.
 */
export function startReminderCron(
  tick: () => Promise<unknown>,
  timeZone: string,
  logger: Logger,
  expression = '* * * * *',
  hooks: TickHooks = {},
): ReminderCron {
  let current: Promise<unknown> | null = null;
  let task: ScheduledTask | undefined;
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      logger.warn({ err }, 'reminder tick hook failed');
    }
  };
  const run = () => {
    if (current) return current;
    safe(() => hooks.started?.(task?.getNextRun() ?? null));
    // A tick that throws synchronously (a locked database while planning) is caught like a rejection.
    current = Promise.resolve()
      .then(tick)
      .catch((err: unknown) => logger.error({ err }, 'reminder tick failed; the next tick tries again'))
      .finally(() => {
        current = null;
        safe(() => hooks.finished?.());
      });
    return current;
  };
  task = createTask(expression, run, {
    timezone: timeZone,
    noOverlap: true,
    name: 'reminders',
    suppressMissedWarning: true,
  });
  void task.start();
  void run();
  let stopped: Promise<void> | null = null;
  return {
    stop() {
      stopped ??= (async () => {
        await task?.destroy();
        await current;
      })();
      return stopped;
    },
  };
}
