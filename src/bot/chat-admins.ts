import type { Context } from 'telegraf';
import { type Clock, systemClock } from '../clock.js';

const TTL_MS = 60_000;
const cache = new Map<string, { admin: boolean; until: number }>();

/**
 * Whether the sender is an administrator of the current group. Anonymous admins post as the
 * group itself (sender_chat.id === chat.id); others are checked with getChatMember, cached for
 * a minute (on `clock`'s monotonic time).
 */
export async function isGroupAdmin(
  ctx: Context,
  userId = ctx.from?.id,
  clock: Clock = systemClock,
): Promise<boolean> {
  const chat = ctx.chat;
  if (!chat || chat.type === 'private' || chat.type === 'channel' || userId === undefined) return false;
  const message = ctx.message as { sender_chat?: { id: number } } | undefined;
  if (message?.sender_chat?.id === chat.id) return true;
  const key = `${chat.id}:${userId}`;
  const hit = cache.get(key);
  if (hit && hit.until > clock.monotonic()) return hit.admin;
  try {
    const member = await ctx.telegram.getChatMember(chat.id, userId);
    const admin = member.status === 'creator' || member.status === 'administrator';
    cache.set(key, { admin, until: clock.monotonic() + TTL_MS });
    if (cache.size > 10_000) cache.clear();
    return admin;
  } catch {
    return false;
  }
}

/** The forum topic a message was sent in (0 outside topics). */
export function threadOf(ctx: Context): number {
  const message = (ctx.message ?? ctx.callbackQuery?.message) as
    | { message_thread_id?: number; is_topic_message?: boolean }
    | undefined;
  return message?.is_topic_message && message.message_thread_id ? message.message_thread_id : 0;
}
