import { desc } from 'drizzle-orm';
import type { Db } from './client.js';
import { type AuditRow, auditLog } from './schema.js';

export interface AuditEntry {
  readonly actorId: number | null;
  readonly channel: 'telegram' | 'cli';
  readonly action: string;
  readonly subject: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The audit trail of administrative changes; append-only. */
export class AuditStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Records one change; pass the transaction that made it so both commit together. */
  record(entry: AuditEntry, tx: Pick<Db, 'insert'> = this.db): void {
    tx.insert(auditLog)
      .values({
        at: this.clock(),
        actorId: entry.actorId,
        channel: entry.channel,
        action: entry.action,
        subject: entry.subject,
        before: entry.before ?? null,
        after: entry.after ?? null,
      })
      .run();
  }

  /** The most recent entries first. */
  recent(limit = 50): AuditRow[] {
    return this.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all();
  }
}
