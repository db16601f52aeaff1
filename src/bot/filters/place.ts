import type { Context } from 'telegraf';
import type { Permissions } from '../../app/permissions.js';
import type { Where } from '../command.js';
import { isGroup } from '../context.js';

/** The kind of chat an update comes from, as commands see it (channels are neither). */
export type Place = 'private' | 'group';

export function placeOf(ctx: Context): Place | null {
  if (ctx.chat?.type === 'private') return 'private';
  return isGroup(ctx) ? 'group' : null;
}

/** Whether a command declared for `where` works in `place`. */
export function worksIn(where: Where, place: Place | null): boolean {
  return place !== null && (where === 'any' || where === place);
}

/** True in a private chat with the bot. */
export const inPrivate = (ctx: Context): boolean => placeOf(ctx) === 'private';

/**
 * A coordinator of `prefecture` (or a provincial admin) in a private chat with the bot: may decide
 * that prefecture's binding requests and see its units' contacts.
 */
export function managesHere(ctx: Context, permissions: Permissions, prefecture: string): boolean {
  return inPrivate(ctx) && permissions.mayManage(ctx.from?.id, prefecture);
}
