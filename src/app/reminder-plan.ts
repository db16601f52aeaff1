import { audienceRoster } from '../domain/deadlines/audience.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import { reminderMessage } from '../domain/deadlines/messages.js';
import { ackKey, type PlanInput, plan, schedule } from '../domain/deadlines/planner.js';
import type { BindingsPort, DeadlinesPort, DeliveryLogPort, RosterPort } from './ports.js';

/** What the planner reads. */
export interface ReminderPlanDeps {
  readonly roster: Pick<RosterPort, 'load'>;
  readonly deadlines: Pick<DeadlinesPort, 'all' | 'acknowledgements'>;
  readonly bindings: Pick<BindingsPort, 'all'>;
  readonly deliveries: Pick<DeliveryLogPort, 'deliveredKeys'>;
  readonly timeZone: string;
  /** Private chats of provincial coordinators: the 'coordinators' audience. */
  readonly coordinatorChats: readonly number[];
}

/** What is due, from the stored deadlines, bindings, marks and deliveries: read only. */
export class ReminderPlan {
  constructor(private readonly deps: ReminderPlanDeps) {}

  /** The planner's input as stored now. */
  input(now: number): PlanInput {
    const roster = this.deps.roster.load();
    return {
      deadlines: this.deps.deadlines.all(),
      bindings: this.deps.bindings.all(),
      ...audienceRoster(roster),
      acks: new Set(this.deps.deadlines.acknowledgements().map((a) => ackKey(a.deadlineId, a.unitId))),
      delivered: this.deps.deliveries.deliveredKeys(),
      coordinatorChats: this.deps.coordinatorChats,
      now,
      timeZone: this.deps.timeZone,
    };
  }

  /** What would be sent in [from, to), for `reminders plan`. */
  scheduled(from: number, to: number) {
    const { now: _now, ...input } = this.input(from);
    return schedule(input, from, to);
  }

  /**
   * What a tick as of `now` would send, message by message, without claiming, sending or
   * recording anything (`reminders run --dry-run`).
   */
  preview(now: number): { chatId: number; threadId: number; deadlineIds: number[]; text: string }[] {
    const input = this.input(now);
    const roster = this.deps.roster.load();
    const names = new Map(roster.units.map((u) => [u.id, u.name]));
    const deadlines = new Map<number, Deadline>(input.deadlines.map((d) => [d.id, d]));
    return plan(input).map((digest) => ({
      chatId: digest.chatId,
      threadId: digest.threadId,
      deadlineIds: [...new Set(digest.items.map((i) => i.deadlineId))],
      text: reminderMessage(digest, {
        deadlines,
        unitName: (id) => names.get(id),
        contact: roster.contacts[0],
        timeZone: this.deps.timeZone,
        now,
      }).text,
    }));
  }
}
