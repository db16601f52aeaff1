import type { Clock } from '../clock.js';
import { audienceRoster, audienceUnits } from '../domain/deadlines/audience.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import type { Roster, Unit } from '../domain/roster.js';
import type { AuditPort, BindingsPort, DeadlinesPort, TransactionPort } from './ports.js';

/** Why a 已完成 / 撤销 press is refused. */
export type AckRefusal = 'gone' | 'not_own_group' | 'not_addressed';

export type AckCheck =
  | { readonly ok: true; readonly deadline: Deadline; readonly unit: Unit }
  | { readonly ok: false; readonly refusal: AckRefusal };

/** The group a button was pressed in; null outside groups. */
export type AckChat = { readonly id: number } | null;

/** Who pressed: a Telegram user and the name shown for them. */
export interface AckUser {
  readonly id: number;
  readonly name: string;
}

/**
 * 已完成 / 撤销 presses on unit-group reminders. A mark may be made only in an approved, active
 * group of that unit (bindings exist only once a coordinator granted them), and only for a
 * deadline addressed to that unit: the button's data is not trusted, so a forged or replayed
 * press elsewhere is refused. Each mark records who, when and in which group, and is audited.
 */
export class Acknowledgements {
  constructor(
    private readonly deps: {
      readonly deadlines: Pick<DeadlinesPort, 'get' | 'acknowledge' | 'unacknowledge'>;
      readonly bindings: Pick<BindingsPort, 'ofChat'>;
      readonly audit: Pick<AuditPort, 'record'>;
      readonly tx: Pick<TransactionPort, 'transaction'>;
      /** The current roster (cached by the answer service). */
      readonly roster: () => Roster;
      readonly clock: Pick<Clock, 'now'>;
    },
  ) {}

  /** Whether a press for (deadline, unit) in `chat` may count. */
  check(chat: AckChat, deadlineId: number, unitId: number): AckCheck {
    const deadline = this.deps.deadlines.get(deadlineId);
    const roster = this.deps.roster();
    const unit = roster.units.find((u) => u.id === unitId);
    if (!deadline || !unit) return { ok: false, refusal: 'gone' };
    const ownGroup =
      chat !== null &&
      this.deps.bindings.ofChat(chat.id).some((b) => b.kind === 'unit' && b.unitId === unitId && b.active);
    if (!ownGroup) return { ok: false, refusal: 'not_own_group' };
    const addressed = audienceUnits(deadline.audience, audienceRoster(roster)).some((u) => u.id === unitId);
    if (!addressed) return { ok: false, refusal: 'not_addressed' };
    return { ok: true, deadline, unit };
  }

  /** Records the unit's 已完成 mark; `fresh` is false when it was already recorded. */
  acknowledge(
    by: AckUser,
    chat: AckChat,
    deadlineId: number,
    unitId: number,
  ): (AckCheck & { readonly ok: false }) | { ok: true; deadline: Deadline; unit: Unit; fresh: boolean } {
    const check = this.check(chat, deadlineId, unitId);
    if (!check.ok) return check;
    const mark = {
      deadlineId,
      unitId,
      userId: by.id,
      userName: by.name,
      at: this.deps.clock.now(),
      chatId: chat?.id ?? null,
    };
    const fresh = this.deps.tx.transaction(() => {
      const added = this.deps.deadlines.acknowledge(mark);
      if (added) this.audit(by, 'deadline.ack', deadlineId, unitId, null, mark);
      return added;
    });
    return { ...check, fresh };
  }

  /** Undoes the unit's mark; `undone` is false when there was none. */
  undo(
    by: AckUser,
    chat: AckChat,
    deadlineId: number,
    unitId: number,
  ): (AckCheck & { readonly ok: false }) | { ok: true; undone: boolean } {
    const check = this.check(chat, deadlineId, unitId);
    if (!check.ok) return check;
    const undone = this.deps.tx.transaction(() => {
      const removed = this.deps.deadlines.unacknowledge(deadlineId, unitId);
      if (removed) this.audit(by, 'deadline.unack', deadlineId, unitId, { deadlineId, unitId }, null);
      return removed;
    });
    return { ok: true, undone };
  }

  private audit(
    by: AckUser,
    action: string,
    deadlineId: number,
    unitId: number,
    before: unknown,
    after: unknown,
  ) {
    this.deps.audit.record({
      actorId: by.id,
      channel: 'telegram',
      action,
      subject: `deadline #${deadlineId} unit #${unitId}`,
      before,
      after,
    });
  }
}
