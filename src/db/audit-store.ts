import { desc } from 'drizzle-orm';
import type { AuditEntry, AuditPort, AuditRecord } from '../app/ports.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from './client.js';
import { auditLog } from './schema.js';

/** The audit trail of administrative changes; append-only. */
export class AuditStore implements AuditPort {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Records one change; inside a transaction it commits together with the change. */
  record(entry: AuditEntry): void {
    this.db
      .insert(auditLog)
      .values({
        at: this.clock.now(),
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
  recent(limit = 50): AuditRecord[] {
    return this.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).all();
  }
}
