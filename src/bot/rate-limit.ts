import type { Context, MiddlewareFn } from 'telegraf';

export interface RateLimitOptions {
  /**
   * Updates a user may send per window; default 12 per 15 s, so that even a sustained flood gets
   * fewer than 60 answers a minute (the pace Telegram allows into one chat).
   */
  readonly limit?: number;
  /** Window length; default 15 s. */
  readonly windowMs?: number;
  /** Users tracked at most (expired windows are dropped first); default 50,000. */
  readonly maxUsers?: number;
  readonly clock?: () => number;
  /** Called once per window when a user first goes over the limit (for logs and counters). */
  readonly onLimited?: (userId: number) => void;
}

export const SLOW_DOWN = '请稍后再试：您发送得太快了。';

interface Window {
  start: number;
  count: number;
  told: boolean;
}

/**
 * Fair use per Telegram user: at most `limit` messages, button presses and inline queries in a
 * fixed window. Over the limit, the user gets one "请稍后再试" per window (as a reply, or as the
 * callback answer) and every further update of theirs in that window is dropped — not queued — so
 * a flood costs the bot almost nothing and delays no one else. Pressed buttons are still answered
 * (no spinner). Updates without a user (channel posts) and membership updates pass.
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareFn<Context> {
  const limit = options.limit ?? 12;
  const windowMs = options.windowMs ?? 15_000;
  const maxUsers = options.maxUsers ?? 50_000;
  const clock = options.clock ?? Date.now;
  const windows = new Map<number, Window>();

  const prune = (now: number) => {
    for (const [id, w] of windows) if (now - w.start >= windowMs) windows.delete(id);
    // Still too many live windows: forget the oldest (they get a fresh window; bounded memory).
    for (const id of windows.keys()) {
      if (windows.size < maxUsers) break;
      windows.delete(id);
    }
  };

  return (ctx, next) => {
    // Anonymous group admins and channels all post as one bot user: count them by the chat they
    // speak for instead, so one group's anonymous admin cannot exhaust another's share.
    const senderChat = (ctx.message as { sender_chat?: { id: number } } | undefined)?.sender_chat?.id;
    const userId = senderChat ?? ctx.from?.id;
    const limited =
      ctx.message !== undefined || ctx.callbackQuery !== undefined || ctx.inlineQuery !== undefined;
    if (userId === undefined || !limited) return next();
    const now = clock();
    let w = windows.get(userId);
    if (!w || now - w.start >= windowMs) {
      if (!w && windows.size >= maxUsers) prune(now);
      w = { start: now, count: 0, told: false };
      windows.set(userId, w);
    }
    w.count++;
    if (w.count <= limit) return next();
    if (ctx.callbackQuery) {
      // Always answered, but not acted on.
      void ctx.answerCbQuery(w.told ? undefined : SLOW_DOWN).catch(() => undefined);
    } else if (!w.told && ctx.message && ctx.chat) {
      void ctx.reply(SLOW_DOWN).catch(() => undefined);
    }
    if (!w.told) options.onLimited?.(userId);
    w.told = true;
    return Promise.resolve();
  };
}
