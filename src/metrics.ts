import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Notifier, OutgoingMessage } from './app/notifier.js';
import type { TickSummary } from './app/reminders.js';
import type { Pace } from './bot/paced-telegram.js';
import { classifyError } from './bot/telegram-errors.js';
import type { SendFn } from './bot/telegram-sender.js';
import { type Clock, systemClock } from './clock.js';
import { lazyRequire } from './lazy-require.js';

/**
 * The bot's Prometheus metrics (GET /metrics, text format): updates by kind, replies, reminders
 * by outcome, send-queue depth and waits, 429s, the last tick and the last successful getUpdates.
 * One registry per process; nothing here knows Telegram's token or a message's text.
 */
type Prom = typeof import('prom-client');

/** The registry and its instruments, created once prom-client is loaded. */
function instruments(prom: Prom, queueDepth?: () => number) {
  const registry = new prom.Registry();
  const registers = [registry];
  if (queueDepth)
    new prom.Gauge({
      name: 'kczm_send_queue_depth',
      help: 'Outgoing messages queued or in flight',
      registers,
      collect() {
        this.set(queueDepth());
      },
    });
  return {
    registry,
    updates: new prom.Counter({
      name: 'kczm_updates_total',
      help: 'Telegram updates handled, by kind (message, callback_query, inline_query, my_chat_member, ...)',
      labelNames: ['kind'] as const,
      registers,
    }),
    replies: new prom.Counter({
      name: 'kczm_replies_total',
      help: 'Messages and documents the bot posted in answer to updates, by outcome',
      labelNames: ['outcome'] as const,
      registers,
    }),
    reminders: new prom.Counter({
      name: 'kczm_reminders_total',
      help: 'Reminder deliveries by outcome: sent, failed, postponed (given back for the next tick)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    ticks: new prom.Counter({
      name: 'kczm_reminder_ticks_total',
      help: 'Reminder ticks run, by result (ok, error)',
      labelNames: ['result'] as const,
      registers,
    }),
    lastTick: new prom.Gauge({
      name: 'kczm_last_reminder_tick_timestamp_seconds',
      help: 'When the last reminder tick finished (Unix time)',
      registers,
    }),
    lastPoll: new prom.Gauge({
      name: 'kczm_last_get_updates_success_timestamp_seconds',
      help: 'When getUpdates last answered successfully (Unix time); stays 0 in webhook mode',
      registers,
    }),
    waits: new prom.Histogram({
      name: 'kczm_send_queue_wait_seconds',
      help: 'Time from queueing an outgoing message to its send starting (pacing, 429 pauses)',
      labelNames: ['kind'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    floods: new prom.Counter({
      name: 'kczm_telegram_429_total',
      help: 'Too Many Requests answers from Telegram (each pauses the send queue for retry_after)',
      registers,
    }),
  };
}

type Instruments = ReturnType<typeof instruments>;

export class Metrics {
  private instruments: Instruments | undefined;
  private loading: Promise<Instruments> | undefined;
  /** Observations made before prom-client was loaded, replayed (in order) once it is. */
  private readonly pending: ((i: Instruments) => void)[] = [];

  constructor(
    private readonly clock: Pick<Clock, 'now'> = systemClock,
    private readonly queueDepth?: () => number,
  ) {}

  /**
   * Loads prom-client (~65 ms and ~2 MB: not on the way to the first getUpdates; main calls this
   * once polling runs) and replays what was observed before. GET /metrics calls it too.
   */
  load(): Promise<Instruments> {
    this.loading ??= Promise.resolve().then(() => {
      const ready = instruments(lazyRequire('prom-client') as typeof import('prom-client'), this.queueDepth);
      for (const observe of this.pending.splice(0)) observe(ready);
      this.instruments = ready;
      return ready;
    });
    return this.loading;
  }

  /** Values are taken now; they reach the instruments now or once they exist. */
  private observe(f: (i: Instruments) => void): void {
    if (this.instruments) f(this.instruments);
    else this.pending.push(f);
  }

  updateHandled(kind: string): void {
    this.observe((i) => i.updates.inc({ kind }));
  }

  tickFinished(summary: TickSummary | null): void {
    const at = this.clock.now() / 1000;
    this.observe((i) => {
      i.ticks.inc({ result: summary ? 'ok' : 'error' });
      i.lastTick.set(at);
      if (!summary) return;
      i.reminders.inc({ outcome: 'sent' }, summary.sent);
      i.reminders.inc({ outcome: 'failed' }, summary.failed);
      i.reminders.inc({ outcome: 'postponed' }, summary.retried);
    });
  }

  pollSucceeded(): void {
    const at = this.clock.now() / 1000;
    this.observe((i) => i.lastPoll.set(at));
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
        this.queuedAt.set(msg, this.clock.now());
        return notifier.enqueue(msg);
      },
    };
  }

  /** Wraps the pacing of handler replies: waits, 429s and replies by outcome. */
  observePace(pace: Pace): Pace {
    return (chatId, call) => {
      const queued = this.clock.now();
      return pace(chatId, async () => {
        const waited = (this.clock.now() - queued) / 1000;
        this.observe((i) => i.waits.observe({ kind: 'reply' }, waited));
        try {
          const result = await call();
          this.observe((i) => i.replies.inc({ outcome: 'sent' }));
          return result;
        } catch (err) {
          if (!this.countFlood(err)) this.observe((i) => i.replies.inc({ outcome: 'failed' }));
          throw err;
        }
      });
    };
  }

  /** The GET /metrics handler (Prometheus text exposition format). */
  readonly route = async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { registry } = await this.load();
    const body = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType }).end(body);
  };

  private readonly queuedAt = new WeakMap<OutgoingMessage, number>();

  private queueStarted(msg: OutgoingMessage): void {
    const queued = this.queuedAt.get(msg);
    if (queued === undefined) return;
    this.queuedAt.delete(msg);
    const waited = (this.clock.now() - queued) / 1000;
    this.observe((i) => i.waits.observe({ kind: 'reminder' }, waited));
  }

  private countFlood(err: unknown): boolean {
    if (classifyError(err).kind !== 'retry_after') return false;
    this.observe((i) => i.floods.inc());
    return true;
  }
}
