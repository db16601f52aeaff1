import type { Notifier } from './app/notifier.js';
import { Permissions } from './app/permissions.js';
import { ReminderService } from './app/reminders.js';
import type { BotServices } from './bot/services.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Runtime } from './runtime.js';

/** Wires the use cases over a runtime and a notifier (the paced Telegram send queue). */
export function createServices(
  runtime: Runtime,
  config: Pick<Config, 'adminUserIds' | 'timeZone'>,
  notifier: Notifier,
  logger: Logger,
  clock: () => number = Date.now,
): BotServices {
  const permissions = new Permissions(config.adminUserIds);
  const reminders = new ReminderService({
    roster: runtime.roster,
    deadlines: runtime.deadlines,
    bindings: runtime.bindings,
    deliveries: runtime.deliveries,
    notifier,
    timeZone: config.timeZone,
    coordinatorChats: permissions.coordinatorIds,
    logger,
  });
  return {
    answers: runtime.answers,
    roster: runtime.roster,
    deadlines: runtime.deadlines,
    bindings: runtime.bindings,
    deadlineView: runtime.deadlineView,
    reminders,
    notifier,
    permissions,
    timeZone: config.timeZone,
    clock,
    logger,
  };
}
