import type { Command } from './command.js';
import { broadcastCommand } from './features/broadcast.js';
import { delDeadlineCommand, editDeadlineCommand, newDeadlineCommand } from './features/deadline-editing.js';
import { exportCommand, statusCommand } from './features/deadline-status.js';
import { deadlinesCommand } from './features/deadlines.js';
import { groupsCommand, inviteCommand, pendingCommand, unbindChatCommand } from './features/group-admin.js';
import { groupCommands, startInGroupCommand } from './features/groups.js';
import { membershipCommands, startCommand } from './features/membership.js';
import { auditCommand, grantCommand, revokeCommand } from './features/roles.js';
import type { MenuRoles } from './menus.js';
import type { BotServices } from './services.js';

/**
 * Every command of the bot, declared once, in menu order. This list drives the telegraf
 * handlers (filters/command-guard.ts), every command menu (menus.ts) and /help (views/help.ts);
 * test/bot/command-menus.test.ts checks the menus against it, test/readme.test.ts the README's tables.
 */
export const COMMANDS: readonly Command[] = [
  ...membershipCommands,
  deadlinesCommand,
  ...groupCommands,
  startCommand,
  startInGroupCommand,
  newDeadlineCommand,
  editDeadlineCommand,
  delDeadlineCommand,
  statusCommand,
  groupsCommand,
  inviteCommand,
  pendingCommand,
  unbindChatCommand,
  broadcastCommand,
  grantCommand,
  revokeCommand,
  auditCommand,
  exportCommand,
];

/** Who gets a menu of their own at start-up: the provincial admins and the granted city coordinators. */
export function menuRolesOf(s: Pick<BotServices, 'permissions'>): MenuRoles {
  return {
    admins: s.permissions.adminIds,
    cityCoordinators: s.permissions.cityCoordinators().map((c) => c.userId),
  };
}
