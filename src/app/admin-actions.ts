import { createHash, randomBytes } from 'node:crypto';
import type { AuditStore } from '../db/audit-store.js';
import type {
  BindingRecord,
  BindingRequestRecord,
  BindingRequestStore,
  BindingStore,
  BindTarget,
  InvitationRecord,
  InvitationStore,
} from '../db/binding-store.js';
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
      readonly invitations: InvitationStore;
      readonly requests: BindingRequestStore;
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

  /**
   * Creates a one-time invitation for a target; returns the code (shown once: only its SHA-256 is
   * stored) and the stored invitation. The code is 128 random bits, URL-safe (a startgroup value).
   */
  invite(actor: Actor, target: BindTarget, ttlMs: number): { code: string; invitation: InvitationRecord } {
    const code = randomBytes(16).toString('base64url');
    const at = this.clock();
    return this.db.transaction((tx) => {
      const invitation = this.stores.invitations.add(
        {
          codeHash: hashCode(code),
          kind: target.kind,
          prefecture: target.prefecture,
          unitId: target.unitId,
          createdBy: actor.id ?? 0,
          createdAt: at,
          expiresAt: at + ttlMs,
        },
        tx,
      );
      const { codeHash: _hash, ...logged } = invitation;
      this.audit(actor, 'binding.invite', `invitation #${invitation.id}`, null, logged, tx);
      return { code, invitation };
    });
  }

  /**
   * Binds a chat through an invitation code, which is then used up (single use, checked and
   * marked in one transaction). The actor is whoever sent /start with the code in the group.
   */
  redeem(
    actor: Actor,
    code: string,
    chat: { id: number; threadId: number; title: string | null },
  ):
    | { ok: true; binding: BindingRecord; previous: BindingRecord | null; invitation: InvitationRecord }
    | { ok: false; reason: 'unknown' | 'used' | 'expired' } {
    const at = this.clock();
    return this.db.transaction((tx) => {
      const invitation = this.stores.invitations.byHash(hashCode(code), tx);
      if (!invitation) return { ok: false as const, reason: 'unknown' as const };
      if (invitation.usedAt !== null) return { ok: false as const, reason: 'used' as const };
      if (invitation.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      if (!this.stores.invitations.markUsed(invitation.id, chat.id, at, tx))
        return { ok: false as const, reason: 'used' as const };
      const target = { kind: invitation.kind, prefecture: invitation.prefecture, unitId: invitation.unitId };
      const result = this.stores.bindings.bind(
        chat.id,
        chat.threadId,
        target,
        invitation.createdBy,
        chat.title,
        tx,
      );
      this.audit(
        actor,
        'binding.bind',
        chatSubject(chat.id, chat.threadId),
        result.previous,
        { ...result.binding, invitation: invitation.id, grantedBy: invitation.createdBy },
        tx,
      );
      return { ok: true as const, ...result, invitation };
    });
  }

  /** Files a group admin's binding request (binds nothing); supersedes the chat's earlier one. */
  requestBinding(
    actor: Actor & { name: string | null },
    chat: { id: number; threadId: number; title: string | null },
    target: BindTarget,
  ): BindingRequestRecord {
    return this.db.transaction((tx) => {
      const { request, superseded } = this.stores.requests.add(
        {
          chatId: chat.id,
          threadId: chat.threadId,
          chatTitle: chat.title,
          kind: target.kind,
          prefecture: target.prefecture,
          unitId: target.unitId,
          requestedBy: actor.id ?? 0,
          requesterName: actor.name,
          requestedAt: this.clock(),
        },
        tx,
      );
      this.audit(
        actor,
        'binding.request',
        chatSubject(chat.id, chat.threadId),
        superseded[0] ?? null,
        request,
        tx,
      );
      return request;
    });
  }

  /**
   * Approves (binds) or rejects a pending request. The caller has checked that the actor may
   * manage the request's prefecture. Null when the request is no longer pending.
   */
  decideRequest(
    actor: Actor,
    requestId: number,
    approve: boolean,
  ): { request: BindingRequestRecord; binding: BindingRecord | null } | null {
    return this.db.transaction((tx) => {
      const request = this.stores.requests.decide(
        requestId,
        approve ? 'approved' : 'rejected',
        actor.id ?? 0,
        this.clock(),
        tx,
      );
      if (!request) return null;
      let binding: BindingRecord | null = null;
      if (approve) {
        const result = this.stores.bindings.bind(
          request.chatId,
          request.threadId,
          { kind: request.kind, prefecture: request.prefecture, unitId: request.unitId },
          actor.id ?? 0,
          request.chatTitle,
          tx,
        );
        binding = result.binding;
        this.audit(
          actor,
          'binding.bind',
          chatSubject(request.chatId, request.threadId),
          result.previous,
          { ...result.binding, request: request.id },
          tx,
        );
      }
      this.audit(
        actor,
        approve ? 'binding.approve' : 'binding.reject',
        `request #${request.id}`,
        null,
        request,
        tx,
      );
      return { request, binding };
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

/** Invitation codes are stored only as their SHA-256 (a leaked database binds nothing). */
function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function chatSubject(chatId: number, threadId: number): string {
  return threadId ? `chat ${chatId} topic ${threadId}` : `chat ${chatId}`;
}
