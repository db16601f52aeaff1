import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Notifier, OutgoingMessage } from './app/notifier.js';
import type { TickSummary } from './app/reminders.js';
import type { Pace } from './bot/paced-telegram.js';
import { classifyError, type SendFn } from './bot/send-queue.js';

/**
 * The bot's Prometheus metrics (GET /metrics, text format): updates by kind, replies, reminders
 * by outcome, send-queue depth and waits, 429s, the last tick and the last successful getUpdates.
 * One registry per process; nothing here knows Telegram's token or a message's text.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly updates = new Counter({
    name: 'kczm_updates_total',
    help: 'Telegram updates handled, by kind (message, callback_query, inline_query, my_chat_member, ...)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly replies = new Counter({
    name: 'kczm_replies_total',
    help: 'Messages and documents the bot posted in answer to updates, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly reminders = new Counter({
    name: 'kczm_reminders_total',
    help: 'Reminder deliveries by outcome: sent, failed, postponed (given back for the next tick)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly ticks = new Counter({
    name: 'kczm_reminder_ticks_total',
    help: 'Reminder ticks run, by result (ok, error)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly lastTick = new Gauge({
    name: 'kczm_last_reminder_tick_timestamp_seconds',
    help: 'When the last reminder tick finished (Unix time)',
    registers: [this.registry],
  });
  private readonly lastPoll = new Gauge({
    name: 'kczm_last_get_updates_success_timestamp_seconds',
    help: 'When getUpdates last answered successfully (Unix time); stays 0 in webhook mode',
    registers: [this.registry],
  });
  private readonly waits = new Histogram({
    name: 'kczm_send_queue_wait_seconds',
    help: 'Time from queueing an outgoing message to its send starting (pacing, 429 pauses)',
    labelNames: ['kind'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  private readonly floods = new Counter({
    name: 'kczm_telegram_429_total',
    help: 'Too Many Requests answers from Telegram (each pauses the send queue for retry_after)',
    registers: [this.registry],
  });

  constructor(
    private readonly clock: () => number = Date.now,
    queueDepth?: () => number,
  ) {
    if (queueDepth)
      new Gauge({
        name: 'kczm_send_queue_depth',
        help: 'Outgoing messages queued or in flight',
        registers: [this.registry],
        collect() {
          this.set(queueDepth());
        },
      });
  }

  updateHandled(kind: string): void {
    this.updates.inc({ kind });
  }

  tickFinished(summary: TickSummary | null): void {
    this.ticks.inc({ result: summary ? 'ok' : 'error' });
    this.lastTick.set(this.clock() / 1000);
    if (!summary) return;
    this.reminders.inc({ outcome: 'sent' }, summary.sent);
    this.reminders.inc({ outcome: 'failed' }, summary.failed);
    this.reminders.inc({ outcome: 'postponed' }, summary.retried);
  }

  pollSucceeded(): void {
    this.lastPoll.set(this.clock() / 1000);
  }

  /** Wraps the queue's send function: counts 429s (the error is rethrown unchanged). */
  observeSends(send: SendFn): SendFn {
    return async (msg) => {
      this.queueStarted(msg);
      try {
        return await send(msg);
      } catch (err) {
        this.countFlood(err);
        throw err;
      }
    };
  }

  /** Wraps the notifier the reminders use: the time each message waits in the queue. */
  observeNotifier(notifier: Notifier): Notifier {
    return {
      enqueue: (msg) => {
        this.queuedAt.set(msg, this.clock());
        return notifier.enqueue(msg);
      },
    };
  }

  /** Wraps the pacing of handler replies: waits, 429s and replies by outcome. */
  observePace(pace: Pace): Pace {
    return (chatId, call) => {
      const queued = this.clock();
      return pace(chatId, async () => {
        this.waits.observe({ kind: 'reply' }, (this.clock() - queued) / 1000);
        try {
          const result = await call();
          this.replies.inc({ outcome: 'sent' });
          return result;
        } catch (err) {
          if (!this.countFlood(err)) this.replies.inc({ outcome: 'failed' });
          throw err;
        }
      });
    };
  }

  /** The GET /metrics handler (Prometheus text exposition format). */
  readonly route = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await this.registry.metrics();
    res.writeHead(200, { 'content-type': this.registry.contentType }).end(body);
  };

  private readonly queuedAt = new WeakMap<OutgoingMessage, number>();

  private queueStarted(msg: OutgoingMessage): void {
    const queued = this.queuedAt.get(msg);
    if (queued === undefined) return;
    this.queuedAt.delete(msg);
    this.waits.observe({ kind: 'reminder' }, (this.clock() - queued) / 1000);
  }

  private countFlood(err: unknown): boolean {
    if (classifyError(err).kind !== 'retry_after') return false;
    this.floods.inc();
    return true;
  }
}
