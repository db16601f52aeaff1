import type { Telegram } from 'telegraf';
import type { BotCommand, BotCommandScope } from 'telegraf/types';
import type { CommandInfo } from './command.js';
import { type Place, worksIn } from './filters/place.js';
import { mayUse, type Role } from './filters/roles.js';

/**
 * The command menus, derived from the registry: one per kind of chat and role. Everyone's private
 * chats and every group get theirs by scope; each provincial admin and city coordinator gets their
 * private-chat menu in a chat scope (Telegram picks the narrowest scope that has commands).
 */

/** The commands a role sees in a kind of chat, in registry order (group-admin ones shown in groups). */
export function visibleCommands<C extends CommandInfo>(
  commands: readonly C[],
  role: Role,
  place: Place,
): C[] {
  return commands.filter((c) => !c.hidden && worksIn(c.where, place) && mayUse(c.who, role));
}

/** A command's description in a kind of chat, as the menu and /help say it (without the example). */
export function describeCommand(c: CommandInfo, place: Place): string {
  const text = place === 'group' && c.groupDescription ? c.groupDescription : c.description;
  return c.who === 'group_admin' ? `（管理员）${text}` : text;
}

/** A menu: each visible command with its description and, when it has one, an example. */
export function menuOf(commands: readonly CommandInfo[], role: Role, place: Place): BotCommand[] {
  return visibleCommands(commands, role, place).map((c) => ({
    command: c.name,
    description: `${describeCommand(c, place)}${c.example ? `，如 /${c.name} ${c.example}` : ''}`,
  }));
}

/** Who has a menu of their own: provincial admins and city coordinators (user ids). */
export interface MenuRoles {
  readonly admins: readonly number[];
  readonly cityCoordinators: readonly number[];
}

/** The menu of one user's private chat: null when they have none of their own (everyone's applies). */
export function privateMenuOf(commands: readonly CommandInfo[], role: Role): BotCommand[] | null {
  return role === 'everyone' ? null : menuOf(commands, role, 'private');
}

const chatScope = (chatId: number): BotCommandScope => ({ type: 'chat', chat_id: chatId });

/**
 * Sets one user's private-chat menu after their role changed (a grant or a revocation), or
 * removes it so that everyone's applies. Best effort: a user who never opened a chat with the
 * bot cannot get a menu yet; that is logged, not thrown.
 */
export async function updateUserMenu(
  telegram: Telegram,
  commands: readonly CommandInfo[],
  userId: number,
  role: Role,
  logger: { warn(obj: object, msg: string): void },
): Promise<void> {
  const menu = privateMenuOf(commands, role);
  try {
    if (menu) await telegram.setMyCommands(menu, { scope: chatScope(userId) });
    else await telegram.deleteMyCommands({ scope: chatScope(userId) });
  } catch (err) {
    logger.warn({ err, chatId: userId, role }, 'could not update a user’s command menu');
  }
}

/** Registers every menu: private chats, groups, then each admin's and city coordinator's chat. */
export async function syncMenus(
  telegram: Telegram,
  commands: readonly CommandInfo[],
  roles: MenuRoles,
  logger: { warn(obj: object, msg: string): void },
): Promise<void> {
  await telegram.setMyCommands(menuOf(commands, 'everyone', 'private'), {
    scope: { type: 'all_private_chats' },
  });
  await telegram.setMyCommands(menuOf(commands, 'everyone', 'group'), { scope: { type: 'all_group_chats' } });
  const admins = new Set(roles.admins);
  const people: [number, Role][] = [
    ...[...admins].map((id): [number, Role] => [id, 'admin']),
    ...roles.cityCoordinators
      .filter((id) => !admins.has(id))
      .map((id): [number, Role] => [id, 'coordinator']),
  ];
  for (const [userId, role] of people) await updateUserMenu(telegram, commands, userId, role, logger);
}
