import { createHash, randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../clock.js';
import type { Audience, Deadline } from '../domain/deadlines/deadline.js';
import type {
  AppPorts,
  AuditRecord,
  BindingRecord,
  BindingRequestRecord,
  BindTarget,
  CityCoordinator,
  DeadlineChanges,
  InvitationRecord,
  NewDeadline,
} from './ports.js';

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
    private readonly stores: Pick<
      AppPorts,
      'deadlines' | 'bindings' | 'invitations' | 'requests' | 'coordinators' | 'audit' | 'tx'
    >,
    private readonly clock: Clock = systemClock,
  ) {}

  addDeadline(actor: Actor, d: Omit<NewDeadline, 'createdBy'>): Deadline {
    return this.stores.tx.transaction(() => {
      const added = this.stores.deadlines.add({ ...d, createdBy: actor.id });
      this.audit(actor, 'deadline.add', `deadline #${added.id}`, null, added);
      return added;
    });
  }

  editDeadline(actor: Actor, id: number, changes: DeadlineChanges): Deadline | null {
    return this.stores.tx.transaction(() => {
      const before = this.stores.deadlines.get(id);
      if (!before) return null;
      const after = this.stores.deadlines.update(id, changes);
      this.audit(actor, 'deadline.edit', `deadline #${id}`, before, after);
      return after;
    });
  }

  removeDeadline(actor: Actor, id: number): Deadline | null {
    return this.stores.tx.transaction(() => {
      const before = this.stores.deadlines.get(id);
      if (!before || !this.stores.deadlines.remove(id)) return null;
      this.audit(actor, 'deadline.remove', `deadline #${id}`, before, null);
      return before;
    });
  }

  bind(
    actor: Actor,
    chat: { id: number; threadId: number; title: string | null },
    target: BindTarget,
  ): { binding: BindingRecord; previous: BindingRecord | null } {
    return this.stores.tx.transaction(() => {
      const result = this.stores.bindings.bind(chat.id, chat.threadId, target, actor.id ?? 0, chat.title);
      this.audit(actor, 'binding.bind', chatSubject(chat.id, chat.threadId), result.previous, result.binding);
      return result;
    });
  }

  unbind(actor: Actor, chatId: number, threadId: number): BindingRecord | null {
    return this.stores.tx.transaction(() => {
      const removed = this.stores.bindings.unbind(chatId, threadId);
      if (removed) this.audit(actor, 'binding.unbind', chatSubject(chatId, threadId), removed, null);
      return removed;
    });
  }

  /**
   * Creates a one-time invitation for a target; returns the code (shown once: only its SHA-256 is
   * stored) and the stored invitation. The code is 128 random bits, URL-safe (a startgroup value).
   */
  invite(actor: Actor, target: BindTarget, ttlMs: number): { code: string; invitation: InvitationRecord } {
    const code = randomBytes(16).toString('base64url');
    const at = this.clock.now();
    return this.stores.tx.transaction(() => {
      const invitation = this.stores.invitations.add({
        codeHash: hashCode(code),
        kind: target.kind,
        prefecture: target.prefecture,
        unitId: target.unitId,
        createdBy: actor.id ?? 0,
        createdAt: at,
        expiresAt: at + ttlMs,
      });
      const { codeHash: _hash, ...logged } = invitation;
      this.audit(actor, 'binding.invite', `invitation #${invitation.id}`, null, logged);
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
    const at = this.clock.now();
    return this.stores.tx.transaction(() => {
      const invitation = this.stores.invitations.byHash(hashCode(code));
      if (!invitation) return { ok: false as const, reason: 'unknown' as const };
      if (invitation.usedAt !== null) return { ok: false as const, reason: 'used' as const };
      if (invitation.expiresAt <= at) return { ok: false as const, reason: 'expired' as const };
      if (!this.stores.invitations.markUsed(invitation.id, chat.id, at))
        return { ok: false as const, reason: 'used' as const };
      const target = { kind: invitation.kind, prefecture: invitation.prefecture, unitId: invitation.unitId };
      const result = this.stores.bindings.bind(
        chat.id,
        chat.threadId,
        target,
        invitation.createdBy,
        chat.title,
      );
      this.audit(actor, 'binding.bind', chatSubject(chat.id, chat.threadId), result.previous, {
        ...result.binding,
        invitation: invitation.id,
        grantedBy: invitation.createdBy,
      });
      return { ok: true as const, ...result, invitation };
    });
  }

  /** Files a group admin's binding request (binds nothing); supersedes the chat's earlier one. */
  requestBinding(
    actor: Actor & { name: string | null },
    chat: { id: number; threadId: number; title: string | null },
    target: BindTarget,
  ): BindingRequestRecord {
    return this.stores.tx.transaction(() => {
      const { request, superseded } = this.stores.requests.add({
        chatId: chat.id,
        threadId: chat.threadId,
        chatTitle: chat.title,
        kind: target.kind,
        prefecture: target.prefecture,
        unitId: target.unitId,
        requestedBy: actor.id ?? 0,
        requesterName: actor.name,
        requestedAt: this.clock.now(),
      });
      this.audit(
        actor,
        'binding.request',
        chatSubject(chat.id, chat.threadId),
        superseded[0] ?? null,
        request,
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
    return this.stores.tx.transaction(() => {
      const request = this.stores.requests.decide(
        requestId,
        approve ? 'approved' : 'rejected',
        actor.id ?? 0,
        this.clock.now(),
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
        );
        binding = result.binding;
        this.audit(actor, 'binding.bind', chatSubject(request.chatId, request.threadId), result.previous, {
          ...result.binding,
          request: request.id,
        });
      }
      this.audit(
        actor,
        approve ? 'binding.approve' : 'binding.reject',
        `request #${request.id}`,
        null,
        request,
      );
      return { request, binding };
    });
  }

  grant(actor: Actor, userId: number, prefecture: string): CityCoordinator | null {
    return this.stores.tx.transaction(() => {
      const grant = { userId, prefecture, grantedBy: actor.id ?? 0, grantedAt: this.clock.now() };
      const previous = this.stores.coordinators.grant(grant);
      this.audit(actor, 'role.grant', `user ${userId}`, previous, grant);
      return previous;
    });
  }

  revoke(actor: Actor, userId: number): CityCoordinator | null {
    return this.stores.tx.transaction(() => {
      const removed = this.stores.coordinators.revoke(userId);
      if (removed) this.audit(actor, 'role.revoke', `user ${userId}`, removed, null);
      return removed;
    });
  }

  recordBroadcast(
    actor: Actor,
    audience: Audience,
    text: string,
    report: { sent: number; failed: number },
  ): void {
    this.audit(actor, 'broadcast.send', 'broadcast', null, { audience, text, ...report });
  }

  /** The audit trail, most recent entries first. */
  recent(limit?: number): AuditRecord[] {
    return this.stores.audit.recent(limit);
  }

  private audit(actor: Actor, action: string, subject: string, before: unknown, after: unknown): void {
    this.stores.audit.record({ actorId: actor.id, channel: actor.channel, action, subject, before, after });
  }
}

/** Invitation codes are stored only as their SHA-256 (a leaked database binds nothing). */
function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function chatSubject(chatId: number, threadId: number): string {
  return threadId ? `chat ${chatId} topic ${threadId}` : `chat ${chatId}`;
}
