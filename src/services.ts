import { AdminActions } from './app/admin-actions.js';
import type { Notifier } from './app/notifier.js';
import { Permissions } from './app/permissions.js';
import { ReminderService } from './app/reminders.js';
import { rosterXlsx } from './app/roster-export.js';
import { actionKeyboard } from './bot/callback-data.js';
import { splitMessage } from './bot/reply.js';
import type { BotServices } from './bot/services.js';
import type { Config } from './config.js';
import { AuditStore } from './db/audit-store.js';
import { BindingRequestStore, InvitationStore } from './db/binding-store.js';
import { CoordinatorStore } from './db/coordinator-store.js';
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
  const coordinators = new CoordinatorStore(runtime.db);
  const audit = new AuditStore(runtime.db, clock);
  const permissions = new Permissions(config.adminUserIds, coordinators);
  const requests = new BindingRequestStore(runtime.db);
  const admin = new AdminActions(
    runtime.db,
    {
      deadlines: runtime.deadlines,
      bindings: runtime.bindings,
      invitations: new InvitationStore(runtime.db),
      requests,
      coordinators,
      audit,
    },
    clock,
  );
  const reminders = new ReminderService({
    roster: runtime.roster,
    deadlines: runtime.deadlines,
    bindings: runtime.bindings,
    deliveries: runtime.deliveries,
    notifier,
    timeZone: config.timeZone,
    coordinatorChats: permissions.adminIds,
    cityCoordinatorsOf: (prefecture) => permissions.cityCoordinatorsOf(prefecture),
    keyboard: actionKeyboard,
    splitMessage,
    logger,
  });
  return {
    answers: runtime.answers,
    roster: runtime.roster,
    deadlines: runtime.deadlines,
    bindings: runtime.bindings,
    requests,
    deadlineView: runtime.deadlineView,
    reminders,
    notifier,
    admin,
    coordinators,
    audit,
    rosterXlsx: () => rosterXlsx(runtime.db),
    permissions,
    timeZone: config.timeZone,
    clock,
    logger,
  };
}
