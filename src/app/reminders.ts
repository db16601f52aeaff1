import type { Clock } from '../clock.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import { type ReminderMessage, reminderMessage } from '../domain/deadlines/messages.js';
import { type Digest, plan } from '../domain/deadlines/planner.js';
import { cutText, wellFormed } from '../domain/text/cut.js';
import type { Logger } from '../logger.js';
import { announceAcknowledgements } from './ack-announcements.js';
import { type Notifier, type OutgoingMessage, type SendOutcome, sendInParts } from './notifier.js';
import type { BindingsPort, DeadlinesPort, DeliveryLogPort, RosterPort, TransactionPort } from './ports.js';
import { ReminderPlan } from './reminder-plan.js';

export interface ReminderDeps {
  readonly roster: Pick<RosterPort, 'load'>;
  readonly deadlines: DeadlinesPort;
  readonly bindings: BindingsPort;
  readonly deliveries: DeliveryLogPort;
  readonly tx: Pick<TransactionPort, 'persist'>;
  readonly notifier: Notifier;
  /** Stamps deliveries and failures; the default "now" of a tick. */
  readonly clock: Pick<Clock, 'now'>;
  readonly timeZone: string;
  /** Private chats of provincial coordinators: the 'coordinators' audience and health alerts. */
  readonly coordinatorChats: readonly number[];
  /** Private chats of a prefecture's city coordinators (told of their units' 已完成 marks). */
  readonly cityCoordinatorsOf: (prefecture: string) => readonly number[];
  /** The inline keyboard of a reminder's buttons, one per row (the bot's callback codec). */
  readonly keyboard: (buttons: ReminderMessage['buttons']) => NonNullable<OutgoingMessage['replyMarkup']>;
  /** A text as messages within Telegram's length limit (the bot's). */
  readonly splitMessage: (text: string) => string[];
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

type Counters = { -readonly [K in keyof TickSummary]: TickSummary[K] };

interface Claim {
  readonly id: number;
  readonly item: Digest['items'][number];
}

/** One reminder tick: plan from stored data, claim, send, complete; and the alerts it raises. */
export class ReminderService {
  private running: Promise<TickSummary> | null = null;

  /** What is due, read from the stores (also what the CLI shows). */
  readonly plan: ReminderPlan;

  constructor(private readonly deps: ReminderDeps) {
    this.plan = new ReminderPlan(deps);
  }

  /**
   * Runs one tick as of `now`. Overlapping calls share the running tick. Every delivery is
   * claimed before its send and completed after it; transient failures are given back.
   */
  tick(now: number = this.deps.clock.now()): Promise<TickSummary> {
    this.running ??= this.runTick(now).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runTick(now: number): Promise<TickSummary> {
    const announced = await announceAcknowledgements(this.deps, now).catch((err: unknown) => {
      this.deps.logger.error({ err }, 'announcing acknowledgements failed');
      return 0;
    });
    const input = this.plan.input(now);
    const digests = plan(input);
    const summary: Counters = { sent: 0, failed: 0, deactivated: 0, migrated: 0, retried: 0, announced };
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
    summary: Counters,
    mayFollowMigration: boolean,
  ): Promise<void> {
    const { deliveries, bindings, logger } = this.deps;
    // One claim per item (in one transaction), so that a fallback can settle each deadline on its own.
    const claimIds = deliveries.claimEach(
      digest.items.map((item) => ({
        deadlineId: item.deadlineId,
        occurrence: item.occurrence,
        chatId: digest.chatId,
        threadId: digest.threadId,
        late: item.late,
      })),
      now,
    );
    const claims: Claim[] = digest.items.flatMap((item, i) => {
      const id = claimIds[i];
      return id === undefined ? [] : [{ id, item }];
    });
    if (!claims.length) return;
    const live: Digest = { ...digest, items: claims.map((c) => c.item) };
    const message = reminderMessage(live, { ...ctx, timeZone: this.deps.timeZone, now });
    const outcome = await sendInParts(this.deps.notifier, this.deps.splitMessage, {
      chatId: digest.chatId,
      threadId: digest.threadId,
      text: message.text,
      ...(message.buttons.length ? { replyMarkup: this.deps.keyboard(message.buttons) } : {}),
    });
    const ids = claims.map((c) => c.id);
    if (outcome.ok) {
      const at = this.deps.clock.now();
      await this.write(() => deliveries.complete(ids, outcome.messageId, at));
      await this.write(() => bindings.recordDelivery(digest.chatId, at));
      summary.sent++;
      return;
    }
    if (outcome.kind === 'migrated') {
      await this.write(() => deliveries.fail(ids, `migrated to ${outcome.toChatId}`));
      await this.write(() => bindings.migrateChat(digest.chatId, outcome.toChatId));
      summary.migrated++;
      logger.info({ from: digest.chatId, to: outcome.toChatId }, 'group migrated; binding moved');
      if (mayFollowMigration) {
        await this.deliver({ ...digest, chatId: outcome.toChatId }, ctx, now, summary, false);
      }
      return;
    }
    if (outcome.kind === 'bad_request') {
      // The message itself was refused (a defect in what we built, not the chat's fault): send
      // each deadline once more on its own as plain text, so one bad part cannot sink the rest.
      logger.warn(
        { chat: digest.chatId, reason: outcome.description, deadlines: claims.length },
        'reminder rejected by Telegram; retrying as plain messages, one per deadline',
      );
      await this.deliverPlain(live, claims, ctx, now, summary);
      return;
    }
    await this.settleFailure(digest, ids, outcome, summary);
  }

  /** The fallback of a rejected digest: one plain message (no buttons) per deadline. */
  private async deliverPlain(
    digest: Digest,
    claims: readonly Claim[],
    ctx: Omit<Parameters<typeof reminderMessage>[1], 'timeZone' | 'now'>,
    now: number,
    summary: Counters,
  ): Promise<void> {
    const { deliveries, bindings, logger } = this.deps;
    const byDeadline = new Map<number, Claim[]>();
    for (const c of claims)
      byDeadline.set(c.item.deadlineId, [...(byDeadline.get(c.item.deadlineId) ?? []), c]);
    const tried = new Set<number>();
    for (const [deadlineId, group] of byDeadline) {
      tried.add(deadlineId);
      const ids = group.map((c) => c.id);
      const part: Digest = { ...digest, items: group.map((c) => c.item) };
      const text = wellFormed(reminderMessage(part, { ...ctx, timeZone: this.deps.timeZone, now }).text);
      const outcome = await sendInParts(this.deps.notifier, this.deps.splitMessage, {
        chatId: digest.chatId,
        threadId: digest.threadId,
        text,
      });
      if (outcome.ok) {
        const at = this.deps.clock.now();
        await this.write(() => deliveries.complete(ids, outcome.messageId, at));
        await this.write(() => bindings.recordDelivery(digest.chatId, at));
        summary.sent++;
        continue;
      }
      if (outcome.kind === 'bad_request') {
        await this.write(() => deliveries.fail(ids, `rejected: ${outcome.description}`));
        await this.write(() =>
          bindings.recordError(digest.chatId, outcome.description, this.deps.clock.now()),
        );
        summary.failed++;
        const title = ctx.deadlines.get(deadlineId)?.title ?? `#${deadlineId}`;
        logger.error(
          { chat: digest.chatId, deadline: deadlineId, reason: outcome.description },
          'defect: Telegram rejects this reminder even as plain text; it was not delivered',
        );
        await this.alertCoordinators(
          `⚠️ 截止事项「${cutText(title, 40)}」的提醒未能发到群 ${digest.chatId}：Telegram 拒绝了这条消息（${cutText(outcome.description, 120)}）。请转告该群，并联系维护人员。`,
        );
        continue;
      }
      if (await this.settleFailure(digest, ids, outcome, summary)) {
        // The chat is gone or moved: give the other deadlines back (the planner decides next tick).
        const rest = claims.filter((c) => !tried.has(c.item.deadlineId));
        await this.write(() => deliveries.release(rest.map((c) => c.id)));
        return;
      }
    }
  }

  /**
   * A failure that is not about the message: the chat is gone (the delivery ends, the binding is
   * deactivated and the coordinators are told) or the send could not be made now (claims given
   * back for the next tick). Returns true when the chat can no longer be sent to.
   */
  private async settleFailure(
    digest: Digest,
    ids: readonly number[],
    outcome: Exclude<SendOutcome, { ok: true }>,
    summary: Counters,
  ): Promise<boolean> {
    const { deliveries, bindings, logger } = this.deps;
    const at = this.deps.clock.now();
    switch (outcome.kind) {
      case 'forbidden':
      case 'chat_not_found': {
        await this.write(() => deliveries.fail(ids, outcome.description));
        const gone = await this.write(() => bindings.deactivateChat(digest.chatId, outcome.description, at));
        summary.failed++;
        if (gone.length) {
          summary.deactivated++;
          logger.warn({ chat: digest.chatId, reason: outcome.description }, 'binding deactivated');
          await this.alertCoordinators(
            `⚠️ 群「${cutText(gone[0]?.chatTitle ?? String(digest.chatId), 40)}」（${digest.chatId}）已停止接收提醒：${outcome.description}\n机器人重新加入该群后会自动恢复。`,
          );
        }
        return true;
      }
      case 'migrated':
        // Only the fallback gets here (the digest follows a migration itself): next tick sends there.
        await this.write(() => deliveries.release(ids));
        await this.write(() => bindings.migrateChat(digest.chatId, outcome.toChatId));
        summary.migrated++;
        return true;
      default:
        await this.write(() => deliveries.release(ids));
        await this.write(() => bindings.recordError(digest.chatId, outcome.description, at));
        summary.retried++;
        logger.warn(
          { chat: digest.chatId, reason: outcome.description },
          'reminder postponed to the next tick',
        );
        return false;
    }
  }

  /** A store write after a send: a locked database is waited out, never turned into a lost record. */
  private write<T>(fn: () => T): Promise<T> {
    return this.deps.tx.persist(fn, (attempt) =>
      this.deps.logger.warn({ attempt }, 'database is busy; retrying a delivery record'),
    );
  }

  /** Tells the provincial coordinators (best effort: one may never have started the bot). */
  async alertCoordinators(text: string): Promise<void> {
    await Promise.all(
      this.deps.coordinatorChats.map((chatId) => this.deps.notifier.enqueue({ chatId, text })),
    );
  }
}
