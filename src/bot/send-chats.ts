import type { Clock, ClockTimer } from '../clock.js';
import type { SendLimits } from './send-options.js';
import type { Job } from './send-order.js';
import { WindowLimiter } from './window-limiter.js';

/** What the send queue knows about one chat. */
export interface ChatState {
  readonly id: number;
  /** Queued (not started) messages, in order; change it only through a ChatOrder. */
  readonly jobs: Job[];
  inFlight: boolean;
  /** No send before this moment (429 retry_after or retry backoff). */
  pausedUntil: number;
  /** Telegram asked to wait past the cap until this moment: messages to the chat fail fast. */
  bannedUntil: number;
  /** One send at a time, `perChatIntervalMs` after the previous one completed. */
  readonly spacing: WindowLimiter;
  /** Groups only: `perGroupPerMinute` in any 60 s. */
  readonly group: WindowLimiter | undefined;
}

/** How often idle chat states are checked for removal. */
const SWEEP_MS = 1_000;

/**
 * The chats the queue has sent to. A chat with nothing queued or in flight is kept only until its
 * limits and pauses no longer apply (checked every second from an unref'd timer), so memory is
 * bounded by the chats sent to within the last limit window.
 */
export class ChatStates {
  private readonly chats = new Map<number, ChatState>();
  /** Chats with nothing queued or in flight, kept until their limits expire. */
  private readonly idle = new Set<ChatState>();
  private sweepTimer: ClockTimer | undefined;

  constructor(
    private readonly limits: SendLimits,
    private readonly clock: Clock,
  ) {}

  get(id: number): ChatState | undefined {
    return this.chats.get(id);
  }

  /** The chat's state (created if new), no longer idle. */
  busy(id: number): ChatState {
    let chat = this.chats.get(id);
    if (!chat) {
      const { group } = this.limits;
      chat = {
        id,
        jobs: [],
        inFlight: false,
        pausedUntil: Number.NEGATIVE_INFINITY,
        bannedUntil: Number.NEGATIVE_INFINITY,
        spacing: new WindowLimiter(1, this.limits.perChatIntervalMs),
        group: id < 0 ? new WindowLimiter(group.count, group.windowMs) : undefined,
      };
      this.chats.set(id, chat);
    }
    this.idle.delete(chat);
    return chat;
  }

  /** Marks a chat idle if nothing is queued or in flight for it. */
  settled(chat: ChatState): void {
    if (chat.jobs.length > 0 || chat.inFlight) return;
    this.idle.add(chat);
    this.armSweep();
  }

  /** Forgets every chat and stops the sweep. */
  clear(): void {
    if (this.sweepTimer) this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
    this.chats.clear();
    this.idle.clear();
  }

  private armSweep(): void {
    if (this.sweepTimer || this.idle.size === 0) return;
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
    }, SWEEP_MS);
    this.sweepTimer.unref?.();
  }

  private sweep(): void {
    const t = this.clock.monotonic();
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
