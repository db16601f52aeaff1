import type { Context } from 'telegraf';
import { HELP_GROUPS_TEXT, HELP_TEXT } from '../../domain/replies.js';
import type { BotEnv, CommandInfo } from '../command.js';
import { type Place, placeOf } from '../filters/place.js';
import { type Role, roleOf } from '../filters/roles.js';
import { describeCommand, visibleCommands } from '../menus.js';

const line = (c: CommandInfo, place: Place) =>
  `/${c.name}${c.usage ? ` ${c.usage}` : ''} — ${describeCommand(c, place)}`;

/**
 * /help, from the registry: what to ask, the commands this user may use in this kind of chat
 * (a coordinator's own in a section of their own), and how groups are bound.
 */
export function helpText(commands: readonly CommandInfo[], role: Role, place: Place): string {
  const visible = visibleCommands(commands, role, place);
  const everyone = visible.filter((c) => c.who === 'everyone' || c.who === 'group_admin');
  const own = visible.filter((c) => c.who === 'coordinator' || c.who === 'admin');
  const lines = [HELP_TEXT, '', '命令：', ...everyone.map((c) => line(c, place))];
  if (own.length) lines.push('', '协调人命令：', ...own.map((c) => line(c, place)));
  lines.push('', HELP_GROUPS_TEXT);
  return lines.join('\n');
}

/** /help for the sender of this update, in this kind of chat. */
export function helpFor(ctx: Context, env: BotEnv): string {
  return helpText(env.commands, roleOf(env.s.permissions, ctx.from?.id), placeOf(ctx) ?? 'private');
}
