import type { AuditStore } from '../db/audit-store.js';
import type { BindingRecord, BindingStore, BindTarget } from '../db/binding-store.js';
import type { Db } from '../db/client.js';
import type { CityCoordinator, CoordinatorStore } from '../db/coordinator-store.js';
import type { DeadlineStore, NewDeadline } from '../db/deadline-store.js';
import type { Audience, Deadline } from '../domain/deadlines/deadline.js';

/** Who made a change: a Telegram user, or an operator on the CLI. */
export interface Actor {
  readonly id: number | null;
  readonly channel: 'telegram' | 'cli';
}

/**
 * Administrative changes, each written together with its audit entry in one transaction:
 * deadlines, group bindings, coordinator roles, broadcasts.
 */
export class AdminActions {
  constructor(
    private readonly db: Db,
    private readonly stores: {
      readonly deadlines: DeadlineStore;
      readonly bindings: BindingStore;
      readonly coordinators: CoordinatorStore;
      readonly audit: AuditStore;
    },
    private readonly clock: () => number = Date.now,
  ) {}

  addDeadline(actor: Actor, d: Omit<NewDeadline, 'createdBy'>): Deadline {
    return this.db.transaction((tx) => {
      const added = this.stores.deadlines.add({ ...d, createdBy: actor.id }, tx);
      this.audit(actor, 'deadline.add', `deadline #${added.id}`, null, added, tx);
      return added;
    });
  }

  editDeadline(actor: Actor, id: number, changes: Partial<Omit<NewDeadline, 'createdBy'>>): Deadline | null {
    return this.db.transaction((tx) => {
      const before = this.stores.deadlines.get(id);
      if (!before) return null;
      const after = this.stores.deadlines.update(id, changes, tx);
      this.audit(actor, 'deadline.edit', `deadline #${id}`, before, after, tx);
      return after;
    });
  }

  removeDeadline(actor: Actor, id: number): Deadline | null {
    return this.db.transaction((tx) => {
      const before = this.stores.deadlines.get(id);
      if (!before || !this.stores.deadlines.remove(id, tx)) return null;
      this.audit(actor, 'deadline.remove', `deadline #${id}`, before, null, tx);
      return before;
    });
  }

  bind(
    actor: Actor,
    chat: { id: number; threadId: number; title: string | null },
    target: BindTarget,
  ): { binding: BindingRecord; previous: BindingRecord | null } {
    return this.db.transaction((tx) => {
      const result = this.stores.bindings.bind(chat.id, chat.threadId, target, actor.id ?? 0, chat.title, tx);
      this.audit(
        actor,
        'binding.bind',
        chatSubject(chat.id, chat.threadId),
        result.previous,
        result.binding,
        tx,
      );
      return result;
    });
  }

  unbind(actor: Actor, chatId: number, threadId: number): BindingRecord | null {
    return this.db.transaction((tx) => {
      const removed = this.stores.bindings.unbind(chatId, threadId, tx);
      if (removed) this.audit(actor, 'binding.unbind', chatSubject(chatId, threadId), removed, null, tx);
      return removed;
    });
  }

  grant(actor: Actor, userId: number, prefecture: string): CityCoordinator | null {
    return this.db.transaction((tx) => {
      const grant = { userId, prefecture, grantedBy: actor.id ?? 0, grantedAt: this.clock() };
      const previous = this.stores.coordinators.grant(grant, tx);
      this.audit(actor, 'role.grant', `user ${userId}`, previous, grant, tx);
      return previous;
    });
  }

  revoke(actor: Actor, userId: number): CityCoordinator | null {
    return this.db.transaction((tx) => {
      const removed = this.stores.coordinators.revoke(userId, tx);
      if (removed) this.audit(actor, 'role.revoke', `user ${userId}`, removed, null, tx);
      return removed;
    });
  }

  recordBroadcast(
    actor: Actor,
    audience: Audience,
    text: string,
    report: { sent: number; failed: number },
  ): void {
    this.audit(actor, 'broadcast.send', 'broadcast', null, { audience, text, ...report }, this.db);
  }

  private audit(
    actor: Actor,
    action: string,
    subject: string,
    before: unknown,
    after: unknown,
    tx: Pick<Db, 'insert'>,
  ): void {
    this.stores.audit.record(
      { actorId: actor.id, channel: actor.channel, action, subject, before, after },
      tx,
    );
  }
}

function chatSubject(chatId: number, threadId: number): string {
  return threadId ? `chat ${chatId} topic ${threadId}` : `chat ${chatId}`;
}
