import type { Clock } from '../clock.js';
import { windowOf } from './window-limiter.js';

export interface SendQueueOptions {
  /** At most this many sends start in any 1 s window; default 30. Fractions allowed. */
  globalPerSecond?: number;
  /** At least this long between two sends to one chat (after the previous completed); default 1000. */
  perChatIntervalMs?: number;
  /** At most this many sends to one group (chat id < 0) in any 60 s window; default 20. */
  perGroupPerMinute?: number;
  /** A 429 asking to wait longer than this resolves 'gave_up' instead of waiting; default 60. */
  maxRetryAfterSeconds?: number;
  /** Attempts (first one included) for 5xx / network errors before 'gave_up'; default 5. */
  maxAttempts?: number;
  /** Backoff before retry n is about backoffBaseMs * 2^(n-1), with jitter; default 500. */
  backoffBaseMs?: number;
  /** Receives flood waits and give-ups (warn) and retries (debug). Message text is never logged. */
  logger?: { warn(obj: object, msg: string): void; debug?(obj: object, msg: string): void };
  /** Time and timers (pacing runs on `monotonic`); default the system clock. */
  clock?: Clock;
}

/** Start-spacing margin over the nominal global rate ("a hair more to be safe"). */
const SPACING_MARGIN = 1.01;
const GROUP_PERIOD_MS = 60_000;

/** The queue's limits, validated, in milliseconds. */
export interface SendLimits {
  /** "count sends in any windowMs" over all chats. */
  readonly global: { readonly count: number; readonly windowMs: number };
  /** Even spacing of global starts: windowMs / count plus the margin. */
  readonly spacingMs: number;
  readonly perChatIntervalMs: number;
  /** "count sends in any windowMs" per group. */
  readonly group: { readonly count: number; readonly windowMs: number };
  readonly maxRetryAfterMs: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
}

/** @throws RangeError on a non-positive rate or a negative interval. */
export function sendLimits(options: SendQueueOptions): SendLimits {
  const global = windowOf(positive('globalPerSecond', options.globalPerSecond ?? 30), 1000);
  return {
    global,
    spacingMs: (global.windowMs / global.count) * SPACING_MARGIN,
    perChatIntervalMs: nonNegative('perChatIntervalMs', options.perChatIntervalMs ?? 1000),
    group: windowOf(positive('perGroupPerMinute', options.perGroupPerMinute ?? 20), GROUP_PERIOD_MS),
    maxRetryAfterMs: nonNegative('maxRetryAfterSeconds', options.maxRetryAfterSeconds ?? 60) * 1000,
    maxAttempts: Math.max(1, Math.floor(positive('maxAttempts', options.maxAttempts ?? 5))),
    backoffBaseMs: nonNegative('backoffBaseMs', options.backoffBaseMs ?? 500),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`SendQueue: ${name} must be > 0, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`SendQueue: ${name} must be ≥ 0, got ${value}`);
  return value;
}
