import { and, asc, eq } from 'drizzle-orm';
import type { Binding } from '../domain/deadlines/planner.js';
import { redactText } from '../redact.js';
import type { Db } from './client.js';
import { type BindingRow, bindings } from './schema.js';

export type BindingRecord = BindingRow;

export interface BindTarget {
  readonly kind: 'city' | 'unit';
  readonly prefecture: string;
  readonly unitId: number | null;
}

export function toPlannerBinding(row: BindingRow): Binding {
  return {
    id: row.id,
    chatId: row.chatId,
    threadId: row.threadId,
    kind: row.kind,
    prefecture: row.prefecture,
    unitId: row.unitId,
    active: row.active,
  };
}

/** Group bindings, kept in step with Telegram (kicks, migrations, errors). */
export class BindingStore {
  constructor(private readonly db: Db) {}

  all(): BindingRecord[] {
    return this.db.select().from(bindings).orderBy(asc(bindings.id)).all();
  }

  /** Bindings of a chat (all topics). */
  ofChat(chatId: number): BindingRecord[] {
    return this.db
      .select()
      .from(bindings)
      .where(eq(bindings.chatId, chatId))
      .orderBy(asc(bindings.threadId))
      .all();
  }

  /** The binding of a chat's topic, falling back to the chat-wide binding. */
  forChat(chatId: number, threadId = 0): BindingRecord | null {
    const rows = this.ofChat(chatId);
    return rows.find((r) => r.threadId === threadId) ?? rows.find((r) => r.threadId === 0) ?? null;
  }

  /** Binds (or re-binds) a chat topic; returns the binding and what it replaced. */
  bind(
    chatId: number,
    threadId: number,
    target: BindTarget,
    by: number,
    chatTitle: string | null,
    tx: Pick<Db, 'insert' | 'select'> = this.db,
  ): { binding: BindingRecord; previous: BindingRecord | null } {
    const previous =
      tx
        .select()
        .from(bindings)
        .where(and(eq(bindings.chatId, chatId), eq(bindings.threadId, threadId)))
        .get() ?? null;
    const values = {
      kind: target.kind,
      prefecture: target.prefecture,
      unitId: target.unitId,
      active: true,
      inactiveReason: null,
      boundBy: by,
      boundAt: Date.now(),
      chatTitle,
      lastError: null,
      lastErrorAt: null,
    };
    const binding = tx
      .insert(bindings)
      .values({ chatId, threadId, ...values })
      .onConflictDoUpdate({ target: [bindings.chatId, bindings.threadId], set: values })
      .returning()
      .get();
    return { binding, previous };
  }

  /** Removes a chat topic's binding; returns it, or null when there was none. */
  unbind(chatId: number, threadId: number, tx: Pick<Db, 'delete'> = this.db): BindingRecord | null {
    return (
      tx
        .delete(bindings)
        .where(and(eq(bindings.chatId, chatId), eq(bindings.threadId, threadId)))
        .returning()
        .get() ?? null
    );
  }

  /** Marks every binding of a chat inactive (bot kicked, chat gone) with the reason. */
  deactivateChat(chatId: number, reason: string, at: number): BindingRecord[] {
    return this.db
      .update(bindings)
      .set({
        active: false,
        inactiveReason: redactText(reason),
        lastError: redactText(reason),
        lastErrorAt: at,
      })
      .where(and(eq(bindings.chatId, chatId), eq(bindings.active, true)))
      .returning()
      .all();
  }

  /** Reactivates a chat's bindings when the bot is added back. */
  reactivateChat(chatId: number): BindingRecord[] {
    return this.db
      .update(bindings)
      .set({ active: true, inactiveReason: null })
      .where(and(eq(bindings.chatId, chatId), eq(bindings.active, false)))
      .returning()
      .all();
  }

  /**
   * Moves a group's bindings to its new supergroup id, in one transaction. Deliveries already
   * made stay recorded under the old id. Returns the moved bindings.
   */
  migrateChat(fromChatId: number, toChatId: number): BindingRecord[] {
    return this.db.transaction((tx) => {
      const moved = tx.select().from(bindings).where(eq(bindings.chatId, fromChatId)).all();
      for (const b of moved) {
        tx.delete(bindings)
          .where(and(eq(bindings.chatId, toChatId), eq(bindings.threadId, b.threadId)))
          .run();
        tx.update(bindings).set({ chatId: toChatId }).where(eq(bindings.id, b.id)).run();
      }
      return moved.map((b) => ({ ...b, chatId: toChatId }));
    });
  }

  recordDelivery(chatId: number, at: number): void {
    this.db.update(bindings).set({ lastDeliveryAt: at }).where(eq(bindings.chatId, chatId)).run();
  }

  /** Remembers the latest failure for the chat (shown to coordinators); never stores a token. */
  recordError(chatId: number, error: string, at: number): void {
    this.db
      .update(bindings)
      .set({ lastError: redactText(error), lastErrorAt: at })
      .where(eq(bindings.chatId, chatId))
      .run();
  }
}
