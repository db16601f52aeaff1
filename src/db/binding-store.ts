import { and, asc, eq, sql } from 'drizzle-orm';
import type {
  BindingRecord,
  BindingRequestRecord,
  BindingRequestsPort,
  BindingsPort,
  BindTarget,
  InvitationRecord,
  InvitationsPort,
  NewBindingRequest,
  NewInvitation,
} from '../app/ports.js';
import { type Clock, systemClock } from '../clock.js';
import { redactText } from '../redact.js';
import type { Db } from './client.js';
import { bindingRequests, bindings, invitations } from './schema.js';

/** Group bindings, kept in step with Telegram (kicks, migrations, errors). */
export class BindingStore implements BindingsPort {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

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
  ): { binding: BindingRecord; previous: BindingRecord | null } {
    const previous =
      this.db
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
      boundAt: this.clock.now(),
      chatTitle,
      lastError: null,
      lastErrorAt: null,
    };
    const binding = this.db
      .insert(bindings)
      .values({ chatId, threadId, ...values })
      .onConflictDoUpdate({ target: [bindings.chatId, bindings.threadId], set: values })
      .returning()
      .get();
    return { binding, previous };
  }

  /** Removes a chat topic's binding; returns it, or null when there was none. */
  unbind(chatId: number, threadId: number): BindingRecord | null {
    return (
      this.db
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

/** One-time invitation codes (stored as SHA-256 hashes; see AdminActions.invite). */
export class InvitationStore implements InvitationsPort {
  constructor(private readonly db: Db) {}

  add(row: NewInvitation): InvitationRecord {
    return this.db.insert(invitations).values(row).returning().get();
  }

  byHash(codeHash: string): InvitationRecord | null {
    return this.db.select().from(invitations).where(eq(invitations.codeHash, codeHash)).get() ?? null;
  }

  /** Marks an invitation used, only if it still is unused; false when someone else was first. */
  markUsed(id: number, chatId: number, at: number): boolean {
    const row = this.db
      .update(invitations)
      .set({ usedAt: at, usedByChat: chatId })
      .where(and(eq(invitations.id, id), sql`${invitations.usedAt} is null`))
      .returning({ id: invitations.id })
      .get();
    return row !== undefined;
  }
}

/** Group admins' binding requests, pending until a coordinator decides. */
export class BindingRequestStore implements BindingRequestsPort {
  constructor(private readonly db: Db) {}

  get(id: number): BindingRequestRecord | null {
    return this.db.select().from(bindingRequests).where(eq(bindingRequests.id, id)).get() ?? null;
  }

  pending(): BindingRequestRecord[] {
    return this.db
      .select()
      .from(bindingRequests)
      .where(eq(bindingRequests.status, 'pending'))
      .orderBy(asc(bindingRequests.id))
      .all();
  }

  /** Files a request; an earlier pending request of the same chat topic is superseded. */
  add(row: NewBindingRequest): { request: BindingRequestRecord; superseded: BindingRequestRecord[] } {
    const superseded = this.db
      .update(bindingRequests)
      .set({ status: 'superseded', decidedAt: row.requestedAt })
      .where(
        and(
          eq(bindingRequests.chatId, row.chatId),
          eq(bindingRequests.threadId, row.threadId),
          eq(bindingRequests.status, 'pending'),
        ),
      )
      .returning()
      .all();
    const request = this.db
      .insert(bindingRequests)
      .values({ ...row, status: 'pending' })
      .returning()
      .get();
    return { request, superseded };
  }

  /** Decides a pending request; null when it is no longer pending (decided twice, superseded). */
  decide(id: number, status: 'approved' | 'rejected', by: number, at: number): BindingRequestRecord | null {
    return (
      this.db
        .update(bindingRequests)
        .set({ status, decidedBy: by, decidedAt: at })
        .where(and(eq(bindingRequests.id, id), eq(bindingRequests.status, 'pending')))
        .returning()
        .get() ?? null
    );
  }

  /** Moves a group's requests to its new supergroup id. */
  migrateChat(fromChatId: number, toChatId: number): void {
    this.db
      .update(bindingRequests)
      .set({ chatId: toChatId })
      .where(eq(bindingRequests.chatId, fromChatId))
      .run();
  }
}
