import type { Context, MiddlewareFn } from 'telegraf';
import { type Clock, systemClock } from '../clock.js';

export interface RateLimitOptions {
  /**
   * Updates a user may send per window; default 12 per 15 s, so that even a sustained flood gets
   * fewer than 60 answers a minute (the pace Telegram allows into one chat).
   */
  readonly limit?: number;
  /** Window length; default 15 s. */
  readonly windowMs?: number;
  /**
   * Messages one user may send in one group per group window; default 4 per 60 s. A group takes
   * only ~20 bot messages a minute, and its answers queue in order, so one member's burst would
   * otherwise keep everyone else in that group waiting.
   */
  readonly groupLimit?: number;
  /** Group window length; default 60 s. */
  readonly groupWindowMs?: number;
  /** Keys tracked at most per counter (expired windows are dropped first); default 50,000. */
  readonly maxUsers?: number;
  readonly clock?: Pick<Clock, 'now'>;
  /** Called once per window when a user first goes over a limit (for logs and counters). */
  readonly onLimited?: (userId: number) => void;
}

export const SLOW_DOWN = '请稍后再试：您发送得太快了。';

type Verdict = 'ok' | 'first_over' | 'over';

/** Fixed windows per key: `limit` hits per `windowMs`; bounded memory. */
function counter(limit: number, windowMs: number, maxKeys: number, clock: Pick<Clock, 'now'>) {
  const windows = new Map<string, { start: number; count: number }>();
  const prune = (now: number) => {
    for (const [key, w] of windows) if (now - w.start >= windowMs) windows.delete(key);
    // Still too many live windows: forget the oldest (they get a fresh window).
    for (const key of windows.keys()) {
      if (windows.size < maxKeys) break;
      windows.delete(key);
    }
  };
  return (key: string): Verdict => {
    const now = clock.now();
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (!w && windows.size >= maxKeys) prune(now);
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    return w.count <= limit ? 'ok' : w.count === limit + 1 ? 'first_over' : 'over';
  };
}

/**
 * Fair use per Telegram user: at most `limit` messages, button presses and inline queries in a
 * fixed window, and at most `groupLimit` messages per group window in any one group. Over a
 * limit, the user gets one "请稍后再试" per window (as a reply, or as the callback answer) and every
 * further update of theirs in that window is dropped — not queued — so a flood costs the bot
 * almost nothing and delays no one else. Pressed buttons are still answered (no spinner). Updates
 * without a user (channel posts) and membership updates pass.
 */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareFn<Context> {
  const clock = options.clock ?? systemClock;
  const maxKeys = options.maxUsers ?? 50_000;
  const perUser = counter(options.limit ?? 12, options.windowMs ?? 15_000, maxKeys, clock);
  const perGroup = counter(options.groupLimit ?? 4, options.groupWindowMs ?? 60_000, maxKeys, clock);

  return (ctx, next) => {
    // Anonymous group admins and channels all post as one bot user: count them by the chat they
    // speak for instead, so one group's anonymous admin cannot exhaust another's share.
    const senderChat = (ctx.message as { sender_chat?: { id: number } } | undefined)?.sender_chat?.id;
    const userId = senderChat ?? ctx.from?.id;
    const limited =
      ctx.message !== undefined || ctx.callbackQuery !== undefined || ctx.inlineQuery !== undefined;
    if (userId === undefined || !limited) return next();
    let verdict = perUser(String(userId));
    const inGroup = ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';
    if (verdict === 'ok' && ctx.message && inGroup) verdict = perGroup(`${ctx.chat!.id}:${userId}`);
    if (verdict === 'ok') return next();
    const first = verdict === 'first_over';
    if (ctx.callbackQuery) {
      // Always answered, but not acted on.
      void ctx.answerCbQuery(first ? SLOW_DOWN : undefined).catch(() => undefined);
    } else if (first && ctx.message && ctx.chat) {
      void ctx.reply(SLOW_DOWN).catch(() => undefined);
    }
    if (first) options.onLimited?.(userId);
    return Promise.resolve();
  };
}
