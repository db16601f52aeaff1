/**
 * The outbox every outgoing bot message goes through (reminder fan-outs, broadcasts,
 * notifications, replies): the app's {@link Notifier}. It paces sends under Telegram's flood
 * limits, honours 429 `retry_after`, retries 5xx and network failures with backoff, and tells the
 * caller what happened to each message.
 *
 * Pacing design (all times on the injected clock's monotonic time)
 * - Global: starts are evenly spaced, one every `1000 / globalPerSecond` ms plus 1 %, so a fan-out
 *   runs at the full rate without bursts and without waiting for HTTP answers (several chats' sends
 *   are in flight at once). A sliding window also bounds what the server sees: a send reaches
 *   Telegram somewhere between its start and its answer, so it counts in the window until its
 *   answer (at most 1 s after its start), and a send may start only 1 s (+ 5 ms for clock drift)
 *   after that moment of the send `globalPerSecond` places earlier. So no 1 s window at the server
 *   holds more than `globalPerSecond` arrivals, whatever the network jitter, event-loop stalls or
 *   CPU starvation that bunch requests started at spaced times, as long as each reaches the server
 *   within 1 s of its start. Answers slower than the 1 % spacing margin (~10 ms per second) lower
 *   the rate by their lateness; a request that hangs costs at most 1 s.
 * - Per chat: one send in flight, and the next starts at least `perChatIntervalMs` after the
 *   previous one completed (completion bounds the moment Telegram received it).
 * - Per group (chat id < 0): at most `perGroupPerMinute` in any 60 s window, counted the same
 *   conservative way (a start waits 60 s from the completion of the send that many places earlier).
 * - Priority: an interactive message (a reply to someone who just asked, `priority:
 *   'interactive'`) goes before every queued bulk message (reminders, broadcasts, alerts — the
 *   default), in the same pacing: one queue, one set of limits, replies simply take the next free
 *   slot ({@link ChatOrder}).
 * - Selection: the first eligible message in (priority, FIFO) order, so a chat that must wait does
 *   not block the others; messages of one class to one chat keep their order.
 * - Failures ({@link afterFailure}): a 429 pauses the chat and the whole queue for `retry_after`,
 *   then that message goes first; above the cap the chat's messages give up until that time has
 *   passed. 5xx / network errors pause the chat for a backoff, then the same message is retried
 *   first. A request that failed in transit may have reached Telegram, so a network-error retry
 *   can, rarely, duplicate a message; that is the price of not losing it.
 *
 * Every attempt counts against the limits, failed ones included (Telegram may have counted it).
 */
import type { Notifier, OutgoingMessage, SendOutcome } from '../app/notifier.js';
import { type Clock, type ClockTimer, systemClock } from '../clock.js';
import { type ChatState, ChatStates } from './send-chats.js';
import { type SendLimits, type SendQueueOptions, sendLimits } from './send-options.js';
import { ChatOrder, type Job } from './send-order.js';
import { afterFailure } from './send-retry.js';
import { gaveUp } from './telegram-errors.js';
import type { SendFn } from './telegram-sender.js';
import { type Slot, WindowLimiter } from './window-limiter.js';

export type { SendQueueOptions } from './send-options.js';

/**
 * A send counts in the global window until its answer, at most this long after its start: a
 * request reaching Telegram later than that could make a window hold one more; a hanging request
 * costs the rate at most this much.
 */
const GLOBAL_CAP_MS = 1_000;
/** Added to the global window: the queue's monotonic clock and the server's may drift apart a little. */
const GLOBAL_MARGIN_MS = 5;

/**
 * A paced send queue. `enqueue` never rejects; each message resolves exactly once with its
 * {@link SendOutcome}. Memory is bounded by the queued messages plus the chats sent to within the
 * last limit window (60 s for groups) or pause. Timers are only ref'd while messages are queued.
 */
export class SendQueue implements Notifier {
  private readonly limits: SendLimits;
  private readonly logger: SendQueueOptions['logger'];
  private readonly clock: Clock;
  private readonly global: WindowLimiter;
  /** Scheduled time of the last start (even spacing; small timer lateness is caught up). */
  private lastSlot = Number.NEGATIVE_INFINITY;
  /** No send before this moment (a 429 anywhere pauses everything). */
  private pausedUntil = Number.NEGATIVE_INFINITY;

  private readonly chats: ChatStates;
  /** Chats with queued messages, ordered by the rank of their first message. */
  private readonly order = new ChatOrder();
  private nextSeq = 0;
  private queued = 0;
  private inFlight = 0;

  private pumpScheduled = false;
  private timer: ClockTimer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private drainWaiters: (() => void)[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;

  /** @throws RangeError on a non-positive rate or a negative interval. */
  constructor(
    private readonly send: SendFn,
    options: SendQueueOptions = {},
  ) {
    this.limits = sendLimits(options);
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.chats = new ChatStates(this.limits, this.clock);
    const { count, windowMs } = this.limits.global;
    this.global = new WindowLimiter(count, windowMs + GLOBAL_MARGIN_MS, GLOBAL_CAP_MS);
  }

  /**
   * Queues a message; resolves with its outcome (never rejects). After {@link close} it resolves
   * 'gave_up' at once, as it does for a chat Telegram has paused for longer than the cap.
   */
  enqueue(msg: OutgoingMessage): Promise<SendOutcome> {
    return this.enqueueJob(msg, undefined, msg.priority === 'interactive');
  }

  /**
   * Runs any Bot API call that posts to `chatId` (an interactive reply, a document) under the
   * same limits and 429 handling as queued messages. Resolves with the call's result; rejects
   * with its last error when it fails for good (permanent errors are not retried).
   */
  async runPaced<T>(
    chatId: number,
    call: () => Promise<T>,
    priority: 'interactive' | 'bulk' = 'interactive',
  ): Promise<T> {
    let result: T | undefined;
    let lastError: unknown;
    const outcome = await this.enqueueJob(
      { chatId, text: '' },
      async () => {
        try {
          result = await call();
          return { message_id: 0 };
        } catch (err) {
          lastError = err;
          throw err;
        }
      },
      priority === 'interactive',
    );
    if (outcome.ok) return result as T;
    throw lastError ?? new Error(`not sent: ${outcome.description}`);
  }

  private enqueueJob(
    msg: OutgoingMessage,
    call: Job['call'] | undefined,
    interactive: boolean,
  ): Promise<SendOutcome> {
    return new Promise<SendOutcome>((resolve) => {
      if (this.closed) {
        resolve(gaveUp('shutting down'));
        return;
      }
      const t = this.clock.monotonic();
      const known = this.chats.get(msg.chatId);
      if (known && known.bannedUntil > t) {
        const seconds = Math.ceil((known.bannedUntil - t) / 1000);
        resolve(gaveUp(`chat is flood-limited by Telegram for another ${seconds} s`));
        return;
      }
      const chat = this.chats.busy(msg.chatId);
      const seq = this.nextSeq++;
      const job: Job = {
        msg,
        ...(call ? { call } : {}),
        resolve,
        seq,
        urgent: false,
        interactive,
        attempts: 0,
        floods: 0,
      };
      this.order.add(chat, job);
      this.queued++;
      this.schedulePump();
    });
  }

  /** Number of messages queued or in flight. */
  get pending(): number {
    return this.queued + this.inFlight;
  }

  /** Resolves when nothing is queued or in flight (at once if that is already so). */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Stops accepting new messages; queued (not started) ones resolve 'gave_up' ('shutting down');
   * waits for in-flight ones (which are not retried). Idempotent: every call returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    const jobs = this.order.clear();
    this.queued -= jobs.length;
    for (const job of jobs) job.resolve(gaveUp('shutting down'));
    this.settleDrain();
    await this.drain();
    this.chats.clear();
  }

  // ---- pacing ---------------------------------------------------------------------------------

  private globalReadyAt(): number {
    return Math.max(this.pausedUntil, this.lastSlot + this.limits.spacingMs, this.global.nextStart());
  }

  private chatReadyAt(chat: ChatState): number {
    if (chat.inFlight) return Number.POSITIVE_INFINITY;
    return Math.max(
      chat.pausedUntil,
      chat.spacing.nextStart(),
      chat.group?.nextStart() ?? Number.NEGATIVE_INFINITY,
    );
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Starts every send that is allowed now, then sleeps until the next one may be. */
  private pump(): void {
    if (this.closed) return;
    const t = this.clock.monotonic();
    while (this.order.size > 0) {
      const globalAt = this.globalReadyAt();
      if (globalAt > t) {
        this.wakeAt(globalAt);
        return;
      }
      let soonest = Number.POSITIVE_INFINITY;
      let picked: ChatState | undefined;
      for (const chat of this.order) {
        const at = this.chatReadyAt(chat);
        if (at <= t) {
          picked = chat;
          break;
        }
        soonest = Math.min(soonest, at);
      }
      if (!picked) {
        // Every queued chat waits for `soonest` or for an in-flight send, whose completion pumps.
        this.wakeAt(soonest);
        return;
      }
      this.start(picked, t);
    }
    // Nothing queued: no timer may keep the process alive.
    this.clearTimer();
  }

  /** Arms the (ref'd: messages are queued) wake-up timer for `at` unless an earlier one is armed. */
  private wakeAt(at: number): void {
    if (!Number.isFinite(at) || (this.timer && this.timerAt <= at)) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, Math.ceil(at - this.clock.monotonic())),
    );
  }

  private clearTimer(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private start(chat: ChatState, t: number): void {
    const job = this.order.shift(chat);
    this.queued--;
    this.inFlight++;
    chat.inFlight = true;
    // Even spacing: a start that is late by less than half a spacing keeps the schedule.
    const due = this.lastSlot + this.limits.spacingMs;
    this.lastSlot = t - due < this.limits.spacingMs / 2 ? due : t;
    const slots: [WindowLimiter, Slot][] = [[this.global, this.global.begin(t)]];
    slots.push([chat.spacing, chat.spacing.begin(t)]);
    if (chat.group) slots.push([chat.group, chat.group.begin(t)]);
    void this.attempt(chat, job, slots);
  }

  private async attempt(chat: ChatState, job: Job, slots: [WindowLimiter, Slot][]): Promise<void> {
    let messageId: number | undefined;
    let error: unknown;
    try {
      messageId = (await (job.call ? job.call() : this.send(job.msg))).message_id;
    } catch (err) {
      error = err;
    }
    const t = this.clock.monotonic();
    for (const [limiter, slot] of slots) limiter.end(slot, t);
    chat.inFlight = false;
    this.inFlight--;
    if (messageId !== undefined) job.resolve({ ok: true, messageId });
    else this.failed(chat, job, error, t);
    if (!this.closed) this.chats.settled(chat);
    this.pump();
    this.settleDrain();
  }

  /** Carries out what a failed attempt leads to: a retry (requeued at the front) or an outcome. */
  private failed(chat: ChatState, job: Job, error: unknown, t: number): void {
    const next = afterFailure(job, error, t, this.limits, this.closed);
    if (next.log?.level === 'warn') this.logger?.warn(next.log.obj, next.log.msg);
    else if (next.log) this.logger?.debug?.(next.log.obj, next.log.msg);
    if (next.kind === 'retry') {
      if (next.allUntil !== undefined) this.pausedUntil = Math.max(this.pausedUntil, next.allUntil);
      chat.pausedUntil = Math.max(chat.pausedUntil, next.chatUntil);
      job.urgent = next.urgent;
      this.order.unshift(chat, job);
      this.queued++;
      return;
    }
    if (next.kind === 'banned') {
      // Remember the pause so that later messages to this chat fail fast instead of drawing 429s.
      chat.bannedUntil = Math.max(chat.bannedUntil, next.until);
      const others = this.order.takeAll(chat);
      this.queued -= others.length;
      for (const other of others) other.resolve(gaveUp(next.othersReason));
    }
    job.resolve(next.outcome);
  }

  private settleDrain(): void {
    if (this.pending > 0 || this.drainWaiters.length === 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
