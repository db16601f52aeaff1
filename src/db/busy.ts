import { type Clock, sleep, systemClock } from '../clock.js';

/**
 * SQLite "database is locked": another connection (a DB browser, a sqlite3 shell, a backup)
 * holds the write lock longer than the 5 s busy timeout. Never fatal: retried with backoff.
 */

/** True for SQLITE_BUSY / SQLITE_LOCKED (better-sqlite3 sets `code`, e.g. SQLITE_BUSY_SNAPSHOT). */
export function isBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export interface BusyRetryOptions {
  /** Attempts in all (the first included); default 6. */
  readonly attempts?: number;
  /** Wait before retry n is baseMs * 2^(n-1), capped at 10 s; default 500. */
  readonly baseMs?: number;
  readonly onRetry?: (attempt: number, err: unknown) => void;
  /** Timers for the waits; default the system clock. */
  readonly clock?: Clock;
}

/** Runs `fn`; while it fails with a busy database, waits (without blocking) and tries again. */
export async function retryBusy<T>(fn: () => T | Promise<T>, opts: BusyRetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 6);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusy(err) || attempt >= attempts) throw err;
      opts.onRetry?.(attempt, err);
      await sleep(Math.min(10_000, (opts.baseMs ?? 500) * 2 ** (attempt - 1)), opts.clock ?? systemClock);
    }
  }
}
