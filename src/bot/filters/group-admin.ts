import type { Context } from 'telegraf';
import type { Permissions } from '../../app/permissions.js';
import { isGroupAdmin } from '../chat-admins.js';

/**
 * Who the sender is for a group's binding to a prefecture: a coordinator of that prefecture (or a
 * provincial admin) decides; an admin of the group may only ask; anyone else is refused (null).
 */
export async function groupStanding(
  ctx: Context,
  permissions: Permissions,
  prefecture: string,
  userId: number | undefined = ctx.from?.id,
): Promise<'coordinator' | 'group_admin' | null> {
  if (permissions.mayManage(userId, prefecture)) return 'coordinator';
  return (await isGroupAdmin(ctx, userId)) ? 'group_admin' : null;
}

/** A group admin, or any coordinator: may be told that a name was not found. */
export async function mayAskToBind(ctx: Context, permissions: Permissions): Promise<boolean> {
  return permissions.isCoordinator(ctx.from?.id) || (await isGroupAdmin(ctx));
}
