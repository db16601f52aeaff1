import { Acknowledgements } from './app/acknowledgements.js';
import { AdminActions } from './app/admin-actions.js';
import { DeadlineStatus } from './app/deadline-status.js';
import { GroupDirectory } from './app/group-directory.js';
import { GroupLifecycle } from './app/group-lifecycle.js';
import type { Notifier } from './app/notifier.js';
import { Permissions } from './app/permissions.js';
import { ReminderService } from './app/reminders.js';
import { rosterXlsx } from './app/roster-export.js';
import { actionKeyboard } from './bot/callback-data.js';
import { splitMessage } from './bot/reply.js';
import type { BotServices } from './bot/services.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Runtime } from './runtime.js';

/** Wires the use cases over a runtime's ports and a notifier (the paced Telegram send queue). */
export function createServices(
  runtime: Runtime,
  config: Pick<Config, 'adminUserIds' | 'timeZone'>,
  notifier: Notifier,
  logger: Logger,
): BotServices {
  const { ports, clock } = runtime;
  const permissions = new Permissions(config.adminUserIds, ports.coordinators);
  const admin = new AdminActions(ports, clock);
  const reminders = new ReminderService({
    roster: ports.roster,
    deadlines: ports.deadlines,
    bindings: ports.bindings,
    deliveries: ports.deliveries,
    tx: ports.tx,
    notifier,
    clock,
    timeZone: config.timeZone,
    coordinatorChats: permissions.adminIds,
    cityCoordinatorsOf: (prefecture) => permissions.cityCoordinatorsOf(prefecture),
    keyboard: actionKeyboard,
    splitMessage,
    logger,
  });
  const roster = () => runtime.answers.current().roster;
  return {
    answers: runtime.answers,
    deadlineView: runtime.deadlineView,
    deadlineStatus: new DeadlineStatus({ deadlines: ports.deadlines, roster }),
    groups: new GroupDirectory(ports),
    lifecycle: new GroupLifecycle({ ...ports, clock, alert: (text) => reminders.alertCoordinators(text) }),
    acknowledgements: new Acknowledgements({ ...ports, roster, clock }),
    reminders,
    notifier,
    admin,
    rosterXlsx: () => rosterXlsx(ports),
    permissions,
    timeZone: config.timeZone,
    clock,
    isBusy: (err) => ports.tx.isBusy(err),
    logger,
  };
}
