/**
 * The one queue every outgoing bot message goes through (reminder fan-outs, broadcasts,
 * notifications). It paces sends under Telegram's flood limits, honours 429 `retry_after`, retries
 * 5xx and network failures with backoff, and tells the caller what happened to each message.
 *
 * Pacing design
 * - Global: starts are evenly spaced, one every `1000 / globalPerSecond` ms plus 1 %, so a fan-out
 *   runs at the full rate without bursts and without waiting for HTTP answers (several chats' sends
 *   are in flight at once). A sliding window also bounds what the server sees: a send may start
 *   only 1 s after the send `globalPerSecond` places earlier *completed*, or started + one spacing
 *   if its answer is slower than that. So whenever answers take less than one spacing (a local or
 *   nearby API), no 1 s window at the server holds more than `globalPerSecond` arrivals, whatever
 *   the network jitter or event-loop stalls; with slower answers the rate drops by at most one
 *   spacing per second instead of coupling throughput to latency.
 * - Per chat: one send in flight, and the next starts at least `perChatIntervalMs` after the
 *   previous one completed (completion bounds the moment Telegram received it).
 * - Per group (chat id < 0): at most `perGroupPerMinute` in any 60 s window, counted the same
 *   conservative way (a start waits 60 s from the completion of the send that many places earlier).
 * - Priority: an interactive message (a reply to someone who just asked, `priority:
 *   'interactive'`) goes before every queued bulk message (reminders, broadcasts, alerts — the
 *   default), in the same pacing: one queue, one set of limits, replies simply take the next free
 *   slot. Within a chat an interactive message also goes before that chat's queued bulk ones.
 * - Selection: the first eligible message in (priority, FIFO) order, so a chat that must wait does
 *   not block the others; messages of one class to one chat keep their order.
 * - 429: the chat and the whole queue pause for `retry_after`, then that message goes first. A
 *   `retry_after` above the cap resolves 'gave_up', and later messages to that chat resolve
 *   'gave_up' at once (without a request) until that time has passed.
 * - 5xx / network errors: the chat pauses for an exponential backoff with jitter, then the same
 *   message is retried first. A request that failed in transit may have reached Telegram, so a
 *   network-error retry can, rarely, duplicate a message; that is the price of not losing it.
 *
 * Every attempt counts against the limits, failed ones included (Telegram may have counted it).
 */
import type { Telegram, Types } from 'telegraf';
import type { OutgoingMessage, SendOutcome } from '../app/notifier.js';
import { redactText } from '../redact.js';
import { TelegramTimeoutError } from './telegram-guard.js';

export type { OutgoingMessage, SendOutcome } from '../app/notifier.js';

export interface SendQueueOptions {
  /** At most this many sends start in any 1 s window; default 30. Fractions allowed. */
  globalPerSecond?: number;
  /** At least this long between two sends to one chat (after the previous completed); default 1000. */
  perChatIntervalMs?: number;
  /** At most this many sends to one group (chat id < 0) in any 60 s window; default 20. */
  perGroupPerMinute?: number;
  /** A 429 asking to wait longer than this resolves 'gave_up' instead of waiting; default 60. */
  maxRetryAfterSeconds?: number;
  /** Attempts (first one included) for 5xx / network errors before 'gave_up'; default 5. */
  maxAttempts?: number;
  /** Backoff before retry n is about backoffBaseMs * 2^(n-1), with jitter; default 500. */
  backoffBaseMs?: number;
  /** Receives flood waits and give-ups (warn) and retries (debug). Message text is never logged. */
  logger?: { warn(obj: object, msg: string): void; debug?(obj: object, msg: string): void };
}

/** Sends one message; resolves with the sent message id or throws like telegraf does. */
export type SendFn = (msg: OutgoingMessage) => Promise<{ message_id: number }>;

type Failure = Exclude<SendOutcome, { ok: true }>;

// ---------------------------------------------------------------------------------------------
// Error classification

/** Node / undici / node-fetch error codes meaning the request never got a usable answer. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A short description of any thrown value (no stack). */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = field(err, 'code');
    const text =
      typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
    return redactText(text);
  }
  return redactText(String(err));
}

/** True for errors that mean "no answer from the server" (kept for logs; all such errors are transient). */
function isNetworkError(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = field(e, 'cause'), depth++) {
    const code = field(e, 'code');
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return true;
    const name = field(e, 'name');
    if (name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError') return true;
    const message = field(e, 'message');
    if (typeof message === 'string' && /socket hang up|fetch failed|network/i.test(message)) return true;
  }
  return false;
}

/**
 * Classifies an error thrown by telegraf (TelegramError: numeric `.code`, `.description`,
 * `.parameters`) or by the network:
 * - 429 → `retry_after` with the seconds from `parameters.retry_after` (or the description);
 * - 5xx, network errors (no response, ECONNRESET, socket hang up, fetch failures, timeouts) and
 *   anything unrecognised → `transient` (bounded retries, so nothing is declared permanently
 *   undeliverable on a guess);
 * - 401 (token rejected, e.g. after a rotation) and 404 (no such bot) → `gave_up` at once: not
 *   the chat's fault, nothing to retry now, the next tick sends once the token works;
 * - no answer within the per-request deadline ({@link TelegramTimeoutError}) → `gave_up` at once,
 *   so a chat whose requests hang costs one deadline per tick, not five;
 * - 400 with `parameters.migrate_to_chat_id` → `migrated`; 403 and 400 "not enough rights" /
 *   "have no rights" → `forbidden`; 400 "chat not found" → `chat_not_found`; any other 4xx →
 *   `bad_request` (the message itself was refused).
 */
export function classifyError(
  err: unknown,
): { kind: 'retry_after'; seconds: number } | { kind: 'transient' } | Failure {
  if (err instanceof TelegramTimeoutError) return gaveUp(err.message);
  const response = field(err, 'response');
  const rawCode = field(err, 'code') ?? field(response, 'error_code');
  if (typeof rawCode !== 'number') return { kind: 'transient' };
  const code = rawCode;
  const rawDescription = field(err, 'description') ?? field(response, 'description');
  const description = typeof rawDescription === 'string' ? rawDescription : describe(err);
  const parameters = field(err, 'parameters') ?? field(response, 'parameters');
  if (code === 429) {
    const retryAfter = field(parameters, 'retry_after');
    const seconds =
      typeof retryAfter === 'number' ? retryAfter : Number(/retry after (\d+)/i.exec(description)?.[1]);
    return Number.isFinite(seconds) && seconds >= 0
      ? { kind: 'retry_after', seconds }
      : { kind: 'transient' };
  }
  if (code >= 500 || code < 400) return { kind: 'transient' };
  if (code === 401 || code === 404) return gaveUp(`BOT_TOKEN was rejected by Telegram (${code})`);
  const migrateTo = field(parameters, 'migrate_to_chat_id');
  if (typeof migrateTo === 'number') return { ok: false, kind: 'migrated', toChatId: migrateTo, description };
  if (code === 403 || /not enough rights|have no rights|CHAT_WRITE_FORBIDDEN/i.test(description)) {
    return { ok: false, kind: 'forbidden', description };
  }
  if (code === 400 && /chat not found/i.test(description)) {
    return { ok: false, kind: 'chat_not_found', description };
  }
  return { ok: false, kind: 'bad_request', description };
}

// ---------------------------------------------------------------------------------------------
// telegraf adapter

/**
 * A {@link SendFn} over a telegraf `Telegram`: sendMessage as plain text with message_thread_id
 * (when threadId > 0), reply_markup, and link previews disabled. Errors propagate unchanged.
 */
export function telegramSender(telegram: Telegram): SendFn {
  return async (msg) => {
    const extra: Types.ExtraReplyMessage = { link_preview_options: { is_disabled: true } };
    if (msg.threadId !== undefined && msg.threadId > 0) extra.message_thread_id = msg.threadId;
    if (msg.replyMarkup) extra.reply_markup = msg.replyMarkup;
    const sent = await telegram.sendMessage(msg.chatId, msg.text, extra);
    return { message_id: sent.message_id };
  };
}

// ---------------------------------------------------------------------------------------------
// Pacing primitives

/** One send as seen by a {@link WindowLimiter}. */
interface Slot {
  readonly start: number;
  /** Latest moment the server may have counted the send: completion, capped at start + capMs. */
  stamp: number;
  done: boolean;
}

/**
 * "At most `count` sends in any `windowMs`", counted conservatively: a send may start only
 * `windowMs` after the stamp of every send at least `count` places earlier, where a stamp is the
 * send's completion (capped at start + `capMs`; while in flight, start + `capMs`, so with an
 * infinite cap an in-flight send blocks). Memory: at most `count` slots plus the in-flight ones.
 */
class WindowLimiter {
  /** Largest stamp among settled sends at least `count` places back. */
  private floor = Number.NEGATIVE_INFINITY;
  /** Recent sends in start order. */
  private readonly recent: Slot[] = [];

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly capMs: number,
  ) {}

  /** Earliest moment the next send may start; Infinity while it depends on an unfinished send. */
  nextStart(): number {
    let bound = this.floor;
    const older = this.recent.length - (this.count - 1);
    for (let i = 0; i < older; i++) bound = Math.max(bound, this.recent[i]!.stamp);
    return bound + this.windowMs;
  }

  /** Moment after which this limiter no longer constrains anything (if nothing else starts). */
  idleAfter(): number {
    let last = this.floor;
    for (const slot of this.recent) last = Math.max(last, slot.stamp);
    return last + this.windowMs;
  }

  begin(now: number): Slot {
    const slot: Slot = { start: now, stamp: now + this.capMs, done: false };
    this.recent.push(slot);
    return slot;
  }

  end(slot: Slot, now: number): void {
    slot.stamp = Math.min(now, slot.start + this.capMs);
    slot.done = true;
    while (this.recent.length > this.count - 1 && this.recent[0]!.done) {
      this.floor = Math.max(this.floor, this.recent.shift()!.stamp);
    }
  }
}

/** A rate of `rate` per `periodMs` as "`count` in any `windowMs`" (fractional rates allowed). */
function windowOf(rate: number, periodMs: number): { count: number; windowMs: number } {
  const count = Math.max(1, Math.floor(rate));
  return { count, windowMs: (periodMs * count) / rate };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`SendQueue: ${name} must be > 0, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`SendQueue: ${name} must be ≥ 0, got ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// The queue

interface Job {
  readonly msg: OutgoingMessage;
  /** Instead of sending `msg`: any Bot API call to `msg.chatId`, paced like a message. */
  readonly call?: () => Promise<{ message_id: number }>;
  readonly resolve: (outcome: SendOutcome) => void;
  /** FIFO position. */
  readonly seq: number;
  /** Set after a 429: the message goes before every other one. */
  urgent: boolean;
  /** An interactive reply: goes before every bulk message. */
  readonly interactive: boolean;
  /** Failed attempts with 5xx / network errors. */
  attempts: number;
  /** 429 answers received. */
  floods: number;
}

interface ChatState {
  readonly id: number;
  /** Queued (not started) messages, in order. */
  readonly jobs: Job[];
  inFlight: boolean;
  /** No send before this moment (429 retry_after or retry backoff). */
  pausedUntil: number;
  /** Telegram asked to wait past the cap until this moment: messages to the chat fail fast. */
  bannedUntil: number;
  readonly spacing: WindowLimiter;
  readonly group: WindowLimiter | undefined;
}

/** Start-spacing margin over the nominal global rate ("a hair more to be safe"). */
const SPACING_MARGIN = 1.01;
/** After this many 429s for one message it resolves 'gave_up' (guards against endless flood loops). */
const MAX_FLOOD_RETRIES = 10;
/** Longest backoff between two attempts. */
const MAX_BACKOFF_MS = 30_000;
/** How often idle chat states are checked for removal. */
const SWEEP_MS = 1_000;
const GROUP_PERIOD_MS = 60_000;
const URGENT_OFFSET = 2 ** 52;
const INTERACTIVE_OFFSET = 2 ** 51;

const now = (): number => performance.now();
const gaveUp = (description: string): Failure => ({ ok: false, kind: 'gave_up', description });

/**
 * A paced send queue. `enqueue` never rejects; each message resolves exactly once with its
 * {@link SendOutcome}. Memory is bounded by the queued messages plus the chats sent to within the
 * last limit window (60 s for groups) or pause. Timers are only ref'd while messages are queued.
 */
export class SendQueue {
  private readonly send: SendFn;
  private readonly logger: SendQueueOptions['logger'];
  private readonly spacingMs: number;
  private readonly perChatIntervalMs: number;
  private readonly group: { count: number; windowMs: number };
  private readonly maxRetryAfterMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;

  private readonly global: WindowLimiter;
  /** Scheduled time of the last start (even spacing; small timer lateness is caught up). */
  private lastSlot = Number.NEGATIVE_INFINITY;
  /** No send before this moment (a 429 anywhere pauses everything). */
  private pausedUntil = Number.NEGATIVE_INFINITY;

  private readonly chats = new Map<number, ChatState>();
  /** Chats with queued messages, ordered by the rank of their first message. */
  private order: ChatState[] = [];
  /** Chats with nothing queued or in flight, kept until their limits expire. */
  private readonly idle = new Set<ChatState>();
  private nextSeq = 0;
  private queued = 0;
  private inFlight = 0;

  private pumpScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private sweepTimer: NodeJS.Timeout | undefined;
  private drainWaiters: (() => void)[] = [];
  private closed = false;
  private closing: Promise<void> | undefined;

  /** @throws RangeError on a non-positive rate or a negative interval. */
  constructor(send: SendFn, options: SendQueueOptions = {}) {
    this.send = send;
    this.logger = options.logger;
    const global = windowOf(positive('globalPerSecond', options.globalPerSecond ?? 30), 1000);
    this.spacingMs = (global.windowMs / global.count) * SPACING_MARGIN;
    this.global = new WindowLimiter(global.count, global.windowMs, this.spacingMs);
    this.perChatIntervalMs = nonNegative('perChatIntervalMs', options.perChatIntervalMs ?? 1000);
    this.group = windowOf(positive('perGroupPerMinute', options.perGroupPerMinute ?? 20), GROUP_PERIOD_MS);
    this.maxRetryAfterMs = nonNegative('maxRetryAfterSeconds', options.maxRetryAfterSeconds ?? 60) * 1000;
    this.maxAttempts = Math.max(1, Math.floor(positive('maxAttempts', options.maxAttempts ?? 5)));
    this.backoffBaseMs = nonNegative('backoffBaseMs', options.backoffBaseMs ?? 500);
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
      const t = now();
      let chat = this.chats.get(msg.chatId);
      if (chat && chat.bannedUntil > t) {
        const seconds = Math.ceil((chat.bannedUntil - t) / 1000);
        resolve(gaveUp(`chat is flood-limited by Telegram for another ${seconds} s`));
        return;
      }
      if (!chat) {
        chat = {
          id: msg.chatId,
          jobs: [],
          inFlight: false,
          pausedUntil: Number.NEGATIVE_INFINITY,
          bannedUntil: Number.NEGATIVE_INFINITY,
          spacing: new WindowLimiter(1, this.perChatIntervalMs, Number.POSITIVE_INFINITY),
          group:
            msg.chatId < 0
              ? new WindowLimiter(this.group.count, this.group.windowMs, Number.POSITIVE_INFINITY)
              : undefined,
        };
        this.chats.set(msg.chatId, chat);
      }
      this.idle.delete(chat);
      const job: Job = {
        msg,
        ...(call ? { call } : {}),
        resolve,
        seq: this.nextSeq++,
        urgent: false,
        interactive,
        attempts: 0,
        floods: 0,
      };
      // An interactive message goes after the chat's urgent and interactive ones, before its bulk.
      const at = interactive ? chat.jobs.findIndex((j) => !j.urgent && !j.interactive) : -1;
      if (chat.jobs.length === 0 || at === 0) {
        if (chat.jobs.length > 0) this.removeOrdered(chat);
        chat.jobs.unshift(job);
        this.insertOrdered(chat);
      } else if (at > 0) {
        chat.jobs.splice(at, 0, job);
      } else {
        chat.jobs.push(job);
      }
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
    for (const chat of this.order) {
      for (const job of chat.jobs) job.resolve(gaveUp('shutting down'));
      this.queued -= chat.jobs.length;
      chat.jobs.length = 0;
    }
    this.order = [];
    this.settleDrain();
    await this.drain();
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.chats.clear();
    this.idle.clear();
  }

  // ---- ordering -------------------------------------------------------------------------------

  private static rank(chat: ChatState): number {
    const head = chat.jobs[0]!;
    return head.urgent
      ? head.seq - URGENT_OFFSET
      : head.interactive
        ? head.seq - INTERACTIVE_OFFSET
        : head.seq;
  }

  /** Index of the first chat in `order` whose rank is ≥ `rank`. */
  private lowerBound(rank: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (SendQueue.rank(this.order[mid]!) < rank) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts a chat with queued messages at the place of its first message's rank. */
  private insertOrdered(chat: ChatState): void {
    const rank = SendQueue.rank(chat);
    const last = this.order.at(-1);
    if (!last || SendQueue.rank(last) < rank) this.order.push(chat);
    else this.order.splice(this.lowerBound(rank), 0, chat);
  }

  /** Removes a chat from `order`; call before changing its first message. */
  private removeOrdered(chat: ChatState): void {
    const i = this.lowerBound(SendQueue.rank(chat));
    if (this.order[i] === chat) this.order.splice(i, 1);
  }

  /** Puts a job back at the front of its chat's queue (a retry). */
  private requeueFront(chat: ChatState, job: Job): void {
    if (chat.jobs.length > 0) this.removeOrdered(chat);
    chat.jobs.unshift(job);
    this.insertOrdered(chat);
    this.queued++;
  }

  // ---- pacing ---------------------------------------------------------------------------------

  private globalReadyAt(): number {
    return Math.max(this.pausedUntil, this.lastSlot + this.spacingMs, this.global.nextStart());
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
    const t = now();
    while (this.order.length > 0) {
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
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.pump();
      },
      Math.max(0, Math.ceil(at - now())),
    );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private start(chat: ChatState, t: number): void {
    this.removeOrdered(chat);
    const job = chat.jobs.shift()!;
    if (chat.jobs.length > 0) this.insertOrdered(chat);
    this.queued--;
    this.inFlight++;
    chat.inFlight = true;
    // Even spacing: a start that is late by less than half a spacing keeps the schedule.
    const due = this.lastSlot + this.spacingMs;
    this.lastSlot = t - due < this.spacingMs / 2 ? due : t;
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
    const t = now();
    for (const [limiter, slot] of slots) limiter.end(slot, t);
    chat.inFlight = false;
    this.inFlight--;
    if (messageId !== undefined) job.resolve({ ok: true, messageId });
    else this.failed(chat, job, error, t);
    if (chat.jobs.length === 0 && !chat.inFlight && !this.closed) {
      this.idle.add(chat);
      this.armSweep();
    }
    this.pump();
    this.settleDrain();
  }

  /** Decides what a failed attempt leads to: a retry (requeued at the front) or an outcome. */
  private failed(chat: ChatState, job: Job, error: unknown, t: number): void {
    const verdict = classifyError(error);
    const log = { chatId: chat.id, attempt: job.attempts + job.floods + 1 };
    if (verdict.kind === 'retry_after') {
      job.floods++;
      const waitMs = verdict.seconds * 1000;
      if (waitMs > this.maxRetryAfterMs) {
        // Remember the pause so that later messages to this chat fail fast instead of drawing 429s.
        chat.bannedUntil = Math.max(chat.bannedUntil, t + waitMs);
        this.giveUpChat(
          chat,
          `retry_after ${verdict.seconds} s exceeds the ${this.maxRetryAfterMs / 1000} s cap`,
        );
        this.logger?.warn(
          { ...log, retryAfter: verdict.seconds },
          'send queue: chat flood-limited beyond the cap',
        );
        job.resolve(gaveUp(`Telegram asked to retry after ${verdict.seconds} s (above the cap)`));
        return;
      }
      if (this.closed || job.floods > MAX_FLOOD_RETRIES) {
        job.resolve(
          gaveUp(this.closed ? 'shutting down' : `still flood-limited after ${job.floods} retries`),
        );
        return;
      }
      this.pausedUntil = Math.max(this.pausedUntil, t + waitMs);
      chat.pausedUntil = Math.max(chat.pausedUntil, t + waitMs);
      job.urgent = true;
      this.requeueFront(chat, job);
      this.logger?.warn({ ...log, retryAfter: verdict.seconds }, 'send queue: 429, pausing every send');
      return;
    }
    if (verdict.kind === 'transient') {
      job.attempts++;
      const reason = describe(error);
      if (this.closed || job.attempts >= this.maxAttempts) {
        const description = this.closed ? 'shutting down' : `${reason} (after ${job.attempts} attempts)`;
        if (!this.closed) this.logger?.warn({ ...log, error: reason }, 'send queue: giving up after retries');
        job.resolve(gaveUp(description));
        return;
      }
      const nominal = Math.min(MAX_BACKOFF_MS, this.backoffBaseMs * 2 ** (job.attempts - 1));
      const delayMs = nominal / 2 + (Math.random() * nominal) / 2;
      chat.pausedUntil = Math.max(chat.pausedUntil, t + delayMs);
      this.requeueFront(chat, job);
      this.logger?.debug?.(
        { ...log, error: reason, network: isNetworkError(error), delayMs: Math.round(delayMs) },
        'send queue: transient failure, retrying',
      );
      return;
    }
    job.resolve(verdict);
  }

  /** Resolves every queued message of a chat 'gave_up' (the chat is paused beyond the cap). */
  private giveUpChat(chat: ChatState, description: string): void {
    if (chat.jobs.length === 0) return;
    this.removeOrdered(chat);
    for (const job of chat.jobs) job.resolve(gaveUp(description));
    this.queued -= chat.jobs.length;
    chat.jobs.length = 0;
  }

  private settleDrain(): void {
    if (this.pending > 0 || this.drainWaiters.length === 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  // ---- idle chat states -----------------------------------------------------------------------

  /** Arms an unref'd timer that forgets idle chats once their limits no longer apply. */
  private armSweep(): void {
    if (this.sweepTimer || this.idle.size === 0) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
    }, SWEEP_MS);
    this.sweepTimer.unref();
  }

  private sweep(): void {
    const t = now();
    for (const chat of this.idle) {
      if (chat.jobs.length > 0 || chat.inFlight) {
        this.idle.delete(chat);
        continue;
      }
      const expires = Math.max(
        chat.pausedUntil,
        chat.bannedUntil,
        chat.spacing.idleAfter(),
        chat.group?.idleAfter() ?? Number.NEGATIVE_INFINITY,
      );
      if (expires <= t) {
        this.idle.delete(chat);
        this.chats.delete(chat.id);
      }
    }
    this.armSweep();
  }
}
