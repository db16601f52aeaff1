import type { BindingStore } from '../db/binding-store.js';
import { toPlannerBinding } from '../db/binding-store.js';
import type { DeadlineStore } from '../db/deadline-store.js';
import type { DeliveryStore } from '../db/delivery-store.js';
import type { RosterStore } from '../db/roster-store.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import { type AckAction, reminderMessage } from '../domain/deadlines/messages.js';
import { ackKey, type Digest, type PlanInput, plan, schedule } from '../domain/deadlines/planner.js';
import { formatLocal } from '../domain/deadlines/time-text.js';
import { pilotCitiesOf } from '../domain/roster.js';
import { splitText } from '../domain/text/split.js';
import type { Logger } from '../logger.js';
import type { Notifier, OutgoingMessage, SendOutcome } from './notifier.js';

export interface ReminderDeps {
  readonly roster: RosterStore;
  readonly deadlines: DeadlineStore;
  readonly bindings: BindingStore;
  readonly deliveries: DeliveryStore;
  readonly notifier: Notifier;
  readonly timeZone: string;
  /** Private chats of provincial coordinators: the 'coordinators' audience and health alerts. */
  readonly coordinatorChats: readonly number[];
  /** Private chats of a prefecture's city coordinators (told of their units' 已完成 marks). */
  readonly cityCoordinatorsOf: (prefecture: string) => readonly number[];
  /** Turns a button's action into callback data (the bot's codec). */
  readonly encodeAction: (action: AckAction) => string;
  readonly logger: Logger;
}

export interface TickSummary {
  readonly sent: number;
  readonly failed: number;
  readonly deactivated: number;
  readonly migrated: number;
  /** Given back after transient failures: planned again next tick. */
  readonly retried: number;
  /** 已完成 marks announced to city coordinators in this tick. */
  readonly announced?: number;
}

/** One reminder tick and what the CLI shows: plan from stored data, claim, send, complete. */
export class ReminderService {
  private running: Promise<TickSummary> | null = null;

  constructor(private readonly deps: ReminderDeps) {}

  /** The planner's input as stored now. */
  planInput(now: number): PlanInput {
    const roster = this.deps.roster.load();
    return {
      deadlines: this.deps.deadlines.all(),
      bindings: this.deps.bindings.all().map(toPlannerBinding),
      units: roster.units.map((u) => ({ id: u.id, prefecture: u.prefecture })),
      pilotCities: pilotCitiesOf(roster),
      acks: new Set(this.deps.deadlines.acknowledgements().map((a) => ackKey(a.deadlineId, a.unitId))),
      delivered: this.deps.deliveries.deliveredKeys(),
      coordinatorChats: this.deps.coordinatorChats,
      now,
      timeZone: this.deps.timeZone,
    };
  }

  /** What would be sent in [from, to), for `reminders plan`. */
  scheduled(from: number, to: number) {
    const { now: _now, ...input } = this.planInput(from);
    return schedule(input, from, to);
  }

  /**
   * Runs one tick as of `now`. Overlapping calls share the running tick. Every delivery is
   * claimed before its send and completed after it; transient failures are given back.
   */
  tick(now: number = Date.now()): Promise<TickSummary> {
    this.running ??= this.runTick(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runTick(now: number): Promise<TickSummary> {
    const announced = await this.announceAcknowledgements(now).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'announcing acknowledgements failed');
      return 0;
    });
    const input = this.planInput(now);
    const digests = plan(input);
    const summary = { sent: 0, failed: 0, deactivated: 0, migrated: 0, retried: 0, announced };
    if (!digests.length) return summary;
    const roster = this.deps.roster.load();
    const names = new Map(roster.units.map((u) => [u.id, u.name]));
    const deadlines = new Map<number, Deadline>(input.deadlines.map((d) => [d.id, d]));
    this.deps.logger.info({ chats: digests.length, at: new Date(now).toISOString() }, 'reminder tick');
    await Promise.all(
      digests.map((digest) =>
        this.deliver(
          digest,
          { deadlines, unitName: (id) => names.get(id), contact: roster.contacts[0] },
          now,
          summary,
          true,
        ).catch((err: unknown) =>
          this.deps.logger.error({ err, chat: digest.chatId }, 'reminder delivery failed'),
        ),
      ),
    );
    return summary;
  }

  private async deliver(
    digest: Digest,
    ctx: Omit<Parameters<typeof reminderMessage>[1], 'timeZone' | 'now'>,
    now: number,
    summary: { sent: number; failed: number; deactivated: number; migrated: number; retried: number },
    mayFollowMigration: boolean,
  ): Promise<void> {
    const { deliveries, bindings, logger } = this.deps;
    const claimed = deliveries.claim(
      digest.items.map((i) => ({
        deadlineId: i.deadlineId,
        occurrence: i.occurrence,
        chatId: digest.chatId,
        threadId: digest.threadId,
        late: i.late,
      })),
      now,
    );
    if (!claimed.length) return;
    const message = reminderMessage(digest, { ...ctx, timeZone: this.deps.timeZone, now });
    const outcome = await this.send({
      chatId: digest.chatId,
      threadId: digest.threadId,
      text: message.text,
      ...(message.buttons.length
        ? {
            replyMarkup: {
              inline_keyboard: message.buttons.map(([text, action]) => [
                { text, callback_data: this.deps.encodeAction(action) },
              ]),
            },
          }
        : {}),
    });
    const at = Date.now();
    if (outcome.ok) {
      deliveries.complete(claimed, outcome.messageId, at);
      bindings.recordDelivery(digest.chatId, at);
      summary.sent++;
      return;
    }
    switch (outcome.kind) {
      case 'forbidden':
      case 'chat_not_found': {
        deliveries.fail(claimed, outcome.description);
        const gone = bindings.deactivateChat(digest.chatId, outcome.description, at);
        summary.failed++;
        if (gone.length) {
          summary.deactivated++;
          logger.warn({ chat: digest.chatId, reason: outcome.description }, 'binding deactivated');
          await this.alertCoordinators(
            `⚠️ 群「${gone[0]?.chatTitle ?? digest.chatId}」（${digest.chatId}）已停止接收提醒：${outcome.description}\n机器人重新加入该群后会自动恢复。`,
          );
        }
        return;
      }
      case 'migrated': {
        deliveries.fail(claimed, `migrated to ${outcome.toChatId}`);
        bindings.migrateChat(digest.chatId, outcome.toChatId);
        summary.migrated++;
        logger.info({ from: digest.chatId, to: outcome.toChatId }, 'group migrated; binding moved');
        if (mayFollowMigration) {
          await this.deliver({ ...digest, chatId: outcome.toChatId }, ctx, now, summary, false);
        }
        return;
      }
      case 'bad_request':
        deliveries.fail(claimed, outcome.description);
        bindings.recordError(digest.chatId, outcome.description, at);
        summary.failed++;
        logger.error({ chat: digest.chatId, reason: outcome.description }, 'reminder rejected by Telegram');
        return;
      case 'gave_up':
        deliveries.release(claimed);
        bindings.recordError(digest.chatId, outcome.description, at);
        summary.retried++;
        logger.warn(
          { chat: digest.chatId, reason: outcome.description },
          'reminder postponed to the next tick',
        );
        return;
    }
  }

  private async send(msg: OutgoingMessage): Promise<SendOutcome> {
    const parts = splitText(msg.text);
    let outcome: SendOutcome = { ok: false, kind: 'bad_request', description: 'empty message' };
    for (const [i, text] of parts.entries()) {
      const last = i === parts.length - 1;
      outcome = await this.deps.notifier.enqueue({
        ...msg,
        text,
        ...(last ? {} : { replyMarkup: undefined }),
      });
      if (!outcome.ok) return outcome;
    }
    return outcome;
  }

  /**
   * Tells each city coordinator, in one message per tick, of the 已完成 marks their prefecture's
   * units made since the last tick: who, when, in which group. A mark is recorded as announced
   * once every coordinator's message went out (or the prefecture has none); on a transient
   * failure it is announced again next tick. Returns the number of marks announced.
   */
  async announceAcknowledgements(now: number): Promise<number> {
    const marks = this.deps.deadlines.unannounced();
    if (!marks.length) return 0;
    const roster = this.deps.roster.load();
    const units = new Map(roster.units.map((u) => [u.id, u]));
    const titles = new Map(this.deps.deadlines.all().map((d) => [d.id, d.title]));
    const byPrefecture = new Map<string, typeof marks>();
    for (const m of marks) {
      const prefecture = units.get(m.unitId)?.prefecture ?? '';
      byPrefecture.set(prefecture, [...(byPrefecture.get(prefecture) ?? []), m]);
    }
    const done: typeof marks = [];
    for (const [prefecture, list] of byPrefecture) {
      const chats = prefecture ? this.deps.cityCoordinatorsOf(prefecture) : [];
      const lines = [`📬 ${prefecture} 新的完成标记（${list.length} 个）：`];
      for (const m of list) {
        const unit = units.get(m.unitId)?.name ?? `单位 #${m.unitId}`;
        lines.push(
          `· ${unit}：「${titles.get(m.deadlineId) ?? `#${m.deadlineId}`}」— ${m.userName ?? ''}（用户 ${m.userId}）于 ${formatLocal(m.at, this.deps.timeZone)}${m.chatId ? `，群 ${m.chatId}` : ''}`,
        );
      }
      const outcomes = await Promise.all(
        chats.map((chatId) => this.send({ chatId, text: lines.join('\n') })),
      );
      if (outcomes.every((o) => o.ok || o.kind !== 'gave_up')) done.push(...list);
    }
    this.deps.deadlines.markAnnounced(done, now);
    return done.length;
  }

  /** Tells the provincial coordinators (best effort: one may never have started the bot). */
  async alertCoordinators(text: string): Promise<void> {
    await Promise.all(
      this.deps.coordinatorChats.map((chatId) => this.deps.notifier.enqueue({ chatId, text })),
    );
  }
}
