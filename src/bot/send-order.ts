import type { OutgoingMessage, SendOutcome } from '../app/notifier.js';
import type { ChatState } from './send-chats.js';

/** One queued message (or paced Bot API call). */
export interface Job {
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

const URGENT_OFFSET = 2 ** 52;
const INTERACTIVE_OFFSET = 2 ** 51;

function rank(chat: ChatState): number {
  const head = chat.jobs[0]!;
  return head.urgent ? head.seq - URGENT_OFFSET : head.interactive ? head.seq - INTERACTIVE_OFFSET : head.seq;
}

/**
 * The chats with queued messages, ordered by the rank of their first message: urgent (a retry
 * after a 429) before interactive before bulk, FIFO within a class. Within a chat an interactive
 * message goes after the chat's urgent and interactive ones, before its bulk ones.
 */
export class ChatOrder {
  private chats: ChatState[] = [];

  /** Chats in order (iterate without changing the order). */
  [Symbol.iterator](): Iterator<ChatState> {
    return this.chats[Symbol.iterator]();
  }

  get size(): number {
    return this.chats.length;
  }

  /** Queues a job in its chat at the place of its class. */
  add(chat: ChatState, job: Job): void {
    const at = job.interactive ? chat.jobs.findIndex((j) => !j.urgent && !j.interactive) : -1;
    if (chat.jobs.length === 0 || at === 0) this.unshift(chat, job);
    else if (at > 0) chat.jobs.splice(at, 0, job);
    else chat.jobs.push(job);
  }

  /** Puts a job at the front of its chat's queue (a new head, or a retry). */
  unshift(chat: ChatState, job: Job): void {
    if (chat.jobs.length > 0) this.remove(chat);
    chat.jobs.unshift(job);
    this.insert(chat);
  }

  /** Takes the first job of a queued chat. */
  shift(chat: ChatState): Job {
    this.remove(chat);
    const job = chat.jobs.shift()!;
    if (chat.jobs.length > 0) this.insert(chat);
    return job;
  }

  /** Takes every queued job of a chat. */
  takeAll(chat: ChatState): Job[] {
    if (chat.jobs.length === 0) return [];
    this.remove(chat);
    return chat.jobs.splice(0);
  }

  /** Takes every queued job of every chat. */
  clear(): Job[] {
    const jobs = this.chats.flatMap((chat) => chat.jobs.splice(0));
    this.chats = [];
    return jobs;
  }

  /** Index of the first chat whose rank is ≥ `r`. */
  private lowerBound(r: number): number {
    let lo = 0;
    let hi = this.chats.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rank(this.chats[mid]!) < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(chat: ChatState): void {
    const r = rank(chat);
    const last = this.chats.at(-1);
    if (!last || rank(last) < r) this.chats.push(chat);
    else this.chats.splice(this.lowerBound(r), 0, chat);
  }

  /** Call before changing a chat's first job. */
  private remove(chat: ChatState): void {
    const i = this.lowerBound(rank(chat));
    if (this.chats[i] === chat) this.chats.splice(i, 1);
  }
}
