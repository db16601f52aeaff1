import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';

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
): ReminderCron {
  let current: Promise<unknown> | null = null;
  const run = () => {
    current ??= tick()
      .catch((err: unknown) => logger.error({ err }, 'reminder tick failed'))
      .finally(() => {
        current = null;
      });
    return current;
  };
  const task: ScheduledTask = createTask(expression, run, {
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
        await task.destroy();
        await current;
      })();
      return stopped;
    },
  };
}
