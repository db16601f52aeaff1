import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { eq } from 'drizzle-orm';
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

/**
 * One bot process per database (two pollers on one token make Telegram answer 409). Takes the
 * lock or throws InstanceLockedError; a lock of a dead process or a stale one is taken over.
 */
export function acquireInstanceLock(db: Db, now = Date.now()): { renew(): void; release(): void } {
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
        db.update(instanceLock).set({ heartbeatAt: Date.now() }).where(eq(instanceLock.name, 'bot')).run();
    },
    release() {
      if (released) return;
      released = true;
      db.delete(instanceLock).where(eq(instanceLock.name, 'bot')).run();
    },
  };
}
