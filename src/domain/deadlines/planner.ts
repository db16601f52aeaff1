import {
  type AudienceMember,
  type AudienceRoster,
  type AudienceUnit,
  audienceUnits,
  bindingMember,
  concerns,
} from './audience.js';
import { type Deadline, occurrences } from './deadline.js';

/**
 * The reminder planner: pure. From deadlines × bindings × offsets × deliveries so far × now it
 * computes what is due, one digest per chat. Cron only triggers; a repeated, skipped or late
 * tick neither loses nor duplicates a reminder as long as deliveries are recorded by key.
 */

export interface Binding {
  readonly id: number;
  readonly chatId: number;
  /** Forum topic, 0 when none. */
  readonly threadId: number;
  readonly kind: 'city' | 'unit';
  /** The bound prefecture, or the bound unit's prefecture. */
  readonly prefecture: string;
  readonly unitId: number | null;
  readonly active: boolean;
}

export type PlanUnit = AudienceUnit;

/** The roster part (units, pilot cities) is what the audience rules read (audience.ts). */
export interface PlanInput extends AudienceRoster {
  readonly deadlines: readonly Deadline[];
  readonly bindings: readonly Binding[];
  /** `${deadlineId}:${unitId}` of units that marked a deadline done. */
  readonly acks: ReadonlySet<string>;
  /** deliveryKey() of every reminder already sent or in flight. */
  readonly delivered: ReadonlySet<string>;
  /** Private chats of provincial coordinators (for the 'coordinators' audience). */
  readonly coordinatorChats: readonly number[];
  readonly now: number;
  readonly timeZone: string;
}

export interface PlannedItem {
  readonly deadlineId: number;
  readonly occurrence: string;
  readonly fireAt: number;
  /** Fired more than LATE_AFTER_MS ago (the bot was down): the message says it is late. */
  readonly late: boolean;
  /** The unit a unit group is reminded for (its 已完成 button). */
  readonly unitId: number | null;
  /** For city groups: the prefecture's units of this deadline, and how many are done. */
  readonly progress: { readonly done: number; readonly total: number } | null;
}

export interface Digest {
  readonly chatId: number;
  readonly threadId: number;
  readonly bindingId: number | null;
  readonly kind: 'city' | 'unit' | 'coordinator';
  readonly prefecture: string | null;
  readonly items: readonly PlannedItem[];
}

export const LATE_AFTER_MS = 15 * 60_000;

/** The identity of one reminder delivery: (deadline, occurrence, chat, topic). */
export function deliveryKey(deadlineId: number, occurrence: string, chatId: number, threadId = 0): string {
  return `${deadlineId}:${occurrence}:${chatId}:${threadId}`;
}

export const ackKey = (deadlineId: number, unitId: number) => `${deadlineId}:${unitId}`;

interface Recipient {
  readonly chatId: number;
  readonly threadId: number;
  readonly bindingId: number | null;
  readonly kind: Digest['kind'];
  readonly prefecture: string | null;
  readonly unitId: number | null;
  readonly member: AudienceMember;
}

function recipients(input: PlanInput): Recipient[] {
  const fromBindings = input.bindings
    .filter((b) => b.active)
    .map((b) => ({
      chatId: b.chatId,
      threadId: b.threadId,
      bindingId: b.id,
      kind: b.kind,
      prefecture: b.prefecture,
      unitId: b.kind === 'unit' ? b.unitId : null,
      member: bindingMember(b),
    }));
  const coordinators = input.coordinatorChats.map((chatId) => ({
    chatId,
    threadId: 0,
    bindingId: null,
    kind: 'coordinator' as const,
    prefecture: null,
    unitId: null,
    member: { kind: 'coordinator' as const },
  }));
  return [...fromBindings, ...coordinators];
}

/**
 * What is due now: for each recipient and deadline still ahead, the latest occurrence that has
 * fired, unless it was delivered (earlier missed occurrences are superseded, never sent late
 * one by one). Unit groups of units that marked the deadline done are skipped.
 */
export function plan(input: PlanInput): Digest[] {
  const digests: Digest[] = [];
  const fired = input.deadlines
    .filter((d) => d.dueAt > input.now)
    .map((d) => ({
      d,
      latest: occurrences(d, input.timeZone)
        .filter((o) => o.fireAt <= input.now)
        .at(-1),
    }))
    .filter((x) => x.latest !== undefined);
  for (const r of recipients(input)) {
    const items: PlannedItem[] = [];
    for (const { d, latest } of fired) {
      if (!latest || !concerns(d.audience, r.member, input)) continue;
      if (r.unitId !== null && input.acks.has(ackKey(d.id, r.unitId))) continue;
      if (input.delivered.has(deliveryKey(d.id, latest.key, r.chatId, r.threadId))) continue;
      items.push({
        deadlineId: d.id,
        occurrence: latest.key,
        fireAt: latest.fireAt,
        late: input.now - latest.fireAt > LATE_AFTER_MS,
        unitId: r.unitId,
        progress: r.kind === 'city' ? progressIn(d, r.prefecture, input) : null,
      });
    }
    if (items.length) {
      digests.push({
        chatId: r.chatId,
        threadId: r.threadId,
        bindingId: r.bindingId,
        kind: r.kind,
        prefecture: r.prefecture,
        items: items.sort((a, b) => a.fireAt - b.fireAt || a.deadlineId - b.deadlineId),
      });
    }
  }
  return digests;
}

function progressIn(d: Deadline, prefecture: string | null, input: PlanInput) {
  const units = audienceUnits(d.audience, input).filter((u) => u.prefecture === prefecture);
  if (!units.length) return null;
  return { done: units.filter((u) => input.acks.has(ackKey(d.id, u.id))).length, total: units.length };
}

export interface ScheduledReminder {
  readonly deadlineId: number;
  readonly chatId: number;
  readonly threadId: number;
  readonly occurrence: string;
  readonly fireAt: number;
}

/**
 * Every reminder that would fire in [from, to) if the bot ran throughout, for chats bound now:
 * not yet delivered, deadline still ahead at the time, unit not done. For `reminders plan`.
 */
export function schedule(input: Omit<PlanInput, 'now'>, from: number, to: number): ScheduledReminder[] {
  const out: ScheduledReminder[] = [];
  for (const r of recipients({ ...input, now: from })) {
    for (const d of input.deadlines) {
      if (!concerns(d.audience, r.member, input)) continue;
      if (r.unitId !== null && input.acks.has(ackKey(d.id, r.unitId))) continue;
      for (const o of occurrences(d, input.timeZone)) {
        if (o.fireAt < from || o.fireAt >= to) continue;
        if (input.delivered.has(deliveryKey(d.id, o.key, r.chatId, r.threadId))) continue;
        out.push({
          deadlineId: d.id,
          chatId: r.chatId,
          threadId: r.threadId,
          occurrence: o.key,
          fireAt: o.fireAt,
        });
      }
    }
  }
  return out.sort((a, b) => a.fireAt - b.fireAt || a.chatId - b.chatId || a.deadlineId - b.deadlineId);
}
