import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { and, eq } from 'drizzle-orm';
import { type Clock, type ClockTimer, systemClock } from '../clock.js';
import type { Db } from './client.js';
import { instanceLock } from './schema.js';

/** A lock whose holder has not renewed it for this long is considered dead. */
export const LOCK_STALE_MS = 90_000;

export class InstanceLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly host: string,
  ) {
    super(`another bot process (pid ${pid} on ${host}) is running on this database; stop it first`);
    this.name = 'InstanceLockedError';
  }
}

/** Whether a process runs; a zombie (killed, not yet reaped by its parent) counts as dead. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: the state is the field after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return true;
  }
}

export interface Heartbeat {
  /** Stops renewing (idempotent). */
  stop(): void;
}

/**
 * Renews the lock every `intervalMs` from a timer that never throws: a busy database (an
 * external write lock) is retried with backoff (1 s, 2 s, 4 s … up to the next beat), and every
 * failure is logged instead of killing the process.
 */
export function startHeartbeat(
  lock: { renew(): void },
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void },
  intervalMs: number,
  opts: { readonly onBeat?: () => void; readonly clock?: Clock } = {},
): Heartbeat {
  const clock = opts.clock ?? systemClock;
  let timer: ClockTimer | undefined;
  let stopped = false;
  let lastOk = clock.monotonic();
  const beat = (attempt: number) => {
    timer = undefined;
    if (stopped) return;
    try {
      lock.renew();
      lastOk = clock.monotonic();
      if (attempt > 1) logger.warn({ attempt }, 'instance lock renewed after the database was busy');
      opts.onBeat?.();
      schedule(intervalMs, 1);
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      const busy = typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
      const since = clock.monotonic() - lastOk;
      logger[since > LOCK_STALE_MS / 2 ? 'error' : 'warn'](
        { attempt, busy, code, sinceRenewalMs: since },
        busy ? 'database is busy; instance lock renewal retried' : 'instance lock renewal failed; retrying',
      );
      schedule(Math.min(intervalMs, 1000 * 2 ** (attempt - 1)), attempt + 1);
    }
  };
  const schedule = (ms: number, attempt: number) => {
    if (stopped) return;
    timer = clock.setTimeout(() => beat(attempt), ms);
    timer.unref?.();
  };
  schedule(intervalMs, 1);
  return {
    stop() {
      stopped = true;
      if (timer) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * One bot process per database (two pollers on one token make Telegram answer 409). Takes the
 * lock or throws InstanceLockedError; a lock of a dead process or a stale one is taken over.
 */
export interface InstanceLock {
  /** Renews the heartbeat; throws when the database does not answer (e.g. SQLITE_BUSY). */
  renew(): void;
  /** A write and a read: renews, then reads the lock back; throws unless it is still ours. */
  probe(): void;
  release(): void;
}

export function acquireInstanceLock(db: Db, clock: Pick<Clock, 'now'> = systemClock): InstanceLock {
  const now = clock.now();
  const me = { name: 'bot', pid: process.pid, host: hostname(), heartbeatAt: now };
  db.transaction((tx) => {
    const held = tx.select().from(instanceLock).where(eq(instanceLock.name, 'bot')).get();
    const sameHost = held?.host === me.host;
    if (
      held &&
      held.pid !== me.pid &&
      now - held.heartbeatAt < LOCK_STALE_MS &&
      (!sameHost || alive(held.pid))
    ) {
      throw new InstanceLockedError(held.pid, held.host);
    }
    tx.insert(instanceLock).values(me).onConflictDoUpdate({ target: instanceLock.name, set: me }).run();
  });
  let released = false;
  return {
    renew() {
      if (!released)
        db.update(instanceLock).set({ heartbeatAt: clock.now() }).where(eq(instanceLock.name, 'bot')).run();
    },
    probe() {
      const at = clock.now();
      const mine = and(
        eq(instanceLock.name, 'bot'),
        eq(instanceLock.pid, me.pid),
        eq(instanceLock.host, me.host),
      );
      const changed = db.update(instanceLock).set({ heartbeatAt: at }).where(mine).run().changes;
      const row = db.select().from(instanceLock).where(mine).get();
      if (!changed || row?.heartbeatAt !== at) throw new Error('the instance lock row is no longer ours');
    },
    release() {
      if (released) return;
      released = true;
      db.delete(instanceLock).where(eq(instanceLock.name, 'bot')).run();
    },
  };
}
