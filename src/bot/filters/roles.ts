import type { Permissions } from '../../app/permissions.js';
import type { Who } from '../command.js';

/** The refusal of a coordinators' command, to anyone else or outside a private chat. */
export const COORDINATORS_ONLY = '抱歉，这个命令只对试点协调人开放，并且需要在与机器人的私聊中使用。';

/** What a user is to the bot; their menu and /help follow it. */
export type Role = 'everyone' | 'coordinator' | 'admin';

export function roleOf(permissions: Permissions, userId: number | undefined): Role {
  if (permissions.isAdmin(userId)) return 'admin';
  return permissions.isCoordinator(userId) ? 'coordinator' : 'everyone';
}

/** Whether a role may use the commands meant for `who` (group admins are checked per target). */
export function mayUse(who: Who, role: Role): boolean {
  switch (who) {
    case 'everyone':
    case 'group_admin':
      return true;
    case 'coordinator':
      return role !== 'everyone';
    case 'admin':
      return role === 'admin';
  }
}

/**
 * The prefecture a coordinator's lists are limited to: their own for a city coordinator, null
 * (everything) for a provincial admin.
 */
export function limitOf(permissions: Permissions, userId: number | undefined): string | null {
  return permissions.isAdmin(userId) ? null : permissions.cityOf(userId);
}
