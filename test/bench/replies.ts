import type { Telegraf } from 'telegraf';
import { createBot } from '../../src/bot/create-bot.js';
import type { SendQueue } from '../../src/bot/send-queue.js';
import type { BotServices } from '../../src/bot/services.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { percentile } from './stats.js';

/**
 * Reply latency of the real bot (createBot, telegraf long polling, the shared SendQueue) against
 * the fake Bot API: the time from an update being queued at the fake to the bot's sendMessage
 * for that chat arriving there.
 */

export interface Probe {
  readonly bot: Telegraf;
  stop(): Promise<void>;
}

/** Starts the bot polling the fake, every reply paced through `queue`. */
export async function startPollingBot(
  fake: FakeBotApi,
  queue: SendQueue,
  services: BotServices,
): Promise<Probe> {
  const bot = createBot({
    token: fake.token,
    apiRoot: fake.url,
    services,
    botInfo: fake.botUser,
    pace: (chat, call) => queue.runPaced(chat, call),
  });
  const done = bot.launch({ dropPendingUpdates: false }).catch(() => undefined);
  // Polling begins right after deleteWebhook (a pending getUpdates is recorded only when answered).
  await fake.waitFor((calls) => calls.some((c) => c.method === 'deleteWebhook'), 10_000);
  await sleep(200);
  return {
    bot,
    async stop() {
      try {
        bot.stop('bench');
      } catch {
        // already stopped
      }
      await done;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Asks `count` questions, one every `everyMs`, each from its own user id starting at `firstUser`;
 * resolves with each question's latency in ms (Infinity when unanswered within `timeoutMs`).
 */
export async function askAndMeasure(
  fake: FakeBotApi,
  count: number,
  everyMs: number,
  firstUser: number,
  text: (i: number) => string = () => '张掖中学是试点吗',
  timeoutMs = 60_000,
): Promise<number[]> {
  const asked: { user: number; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    const user = firstUser + i;
    asked.push({ user, at: Date.now() });
    fake.privateText(user, text(i));
    await sleep(everyMs);
  }
  const answeredAt = (user: number) =>
    fake.callsOf('sendMessage').find((c) => c.params.chat_id === user && c.status === 200)?.at;
  await fake
    .waitFor(() => asked.every((q) => answeredAt(q.user) !== undefined), timeoutMs)
    .catch(() => undefined);
  return asked.map((q) => {
    const at = answeredAt(q.user);
    return at === undefined ? Number.POSITIVE_INFINITY : at - q.at;
  });
}

/** p50 / p99 / max of latencies in ms. */
export function latency(ms: readonly number[]): { p50: number; p99: number; max: number; n: number } {
  const sorted = Float64Array.from(ms).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    n: ms.length,
  };
}

export const fmtLatency = (l: ReturnType<typeof latency>) =>
  `${l.p50.toFixed(0)} / ${l.p99.toFixed(0)} / ${l.max.toFixed(0)} ms (n=${l.n})`;
