import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Acknowledgement, DeadlineChanges, DeadlinesPort, NewDeadline } from '../app/ports.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import type { Db } from './client.js';
import { acknowledgements, type DeadlineRow, deadlines } from './schema.js';

function toDeadline(row: DeadlineRow): Deadline {
  return {
    id: row.id,
    title: row.title,
    submit: row.submit,
    dueAt: row.dueAt,
    audience: row.audience,
    offsets: row.offsets,
    source: row.source,
  };
}

/** The columns of an {@link Acknowledgement}. */
const ACK_COLUMNS = {
  deadlineId: acknowledgements.deadlineId,
  unitId: acknowledgements.unitId,
  userId: acknowledgements.userId,
  userName: acknowledgements.userName,
  at: acknowledgements.at,
  chatId: acknowledgements.chatId,
};

/** Deadlines and their acknowledgements (已完成 marks). */
export class DeadlineStore implements DeadlinesPort {
  constructor(private readonly db: Db) {}

  all(): Deadline[] {
    return this.db
      .select()
      .from(deadlines)
      .orderBy(asc(deadlines.dueAt), asc(deadlines.id))
      .all()
      .map(toDeadline);
  }

  get(id: number): Deadline | null {
    const row = this.db.select().from(deadlines).where(eq(deadlines.id, id)).get();
    return row ? toDeadline(row) : null;
  }

  add(d: NewDeadline): Deadline {
    const row = this.db
      .insert(deadlines)
      .values({ ...d, offsets: [...d.offsets] })
      .returning()
      .get();
    return toDeadline(row);
  }

  update(id: number, changes: DeadlineChanges): Deadline | null {
    const row = this.db
      .update(deadlines)
      .set({
        ...changes,
        offsets: changes.offsets ? [...changes.offsets] : undefined,
        updatedAt: sql`(cast(unixepoch('subsec') * 1000 as integer))`,
      })
      .where(eq(deadlines.id, id))
      .returning()
      .get();
    return row ? toDeadline(row) : null;
  }

  remove(id: number): boolean {
    return this.db.delete(deadlines).where(eq(deadlines.id, id)).run().changes > 0;
  }

  acknowledgements(deadlineId?: number): Acknowledgement[] {
    const q = this.db.select(ACK_COLUMNS).from(acknowledgements);
    return (deadlineId === undefined ? q : q.where(eq(acknowledgements.deadlineId, deadlineId))).all();
  }

  /** Marks no city coordinator has been told of yet, oldest first. */
  unannounced(): Acknowledgement[] {
    return this.db
      .select(ACK_COLUMNS)
      .from(acknowledgements)
      .where(isNull(acknowledgements.notifiedAt))
      .orderBy(asc(acknowledgements.at))
      .all();
  }

  /** Records that these marks were announced (a mark undone meanwhile is simply gone). */
  markAnnounced(marks: readonly Pick<Acknowledgement, 'deadlineId' | 'unitId'>[], at: number): void {
    this.db.transaction((tx) => {
      for (const m of marks)
        tx.update(acknowledgements)
          .set({ notifiedAt: at })
          .where(and(eq(acknowledgements.deadlineId, m.deadlineId), eq(acknowledgements.unitId, m.unitId)))
          .run();
    });
  }

  /** Records that a unit finished a deadline; false when it was already recorded. */
  acknowledge(a: Acknowledgement): boolean {
    return this.db.insert(acknowledgements).values(a).onConflictDoNothing().run().changes > 0;
  }

  /** Undoes an acknowledgement; false when there was none. */
  unacknowledge(deadlineId: number, unitId: number): boolean {
    return (
      this.db
        .delete(acknowledgements)
        .where(sql`${acknowledgements.deadlineId} = ${deadlineId} and ${acknowledgements.unitId} = ${unitId}`)
        .run().changes > 0
    );
  }
}
