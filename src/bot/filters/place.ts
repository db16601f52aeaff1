import type { Context } from 'telegraf';
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
