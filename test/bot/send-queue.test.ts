import { Telegram, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutgoingMessage } from '../../src/app/notifier.js';
import { SendQueue, type SendQueueOptions } from '../../src/bot/send-queue.js';
import { classifyError } from '../../src/bot/telegram-errors.js';
import { TelegramTimeoutError } from '../../src/bot/telegram-guard.js';
import { type SendFn, telegramSender } from '../../src/bot/telegram-sender.js';
import { sleep } from '../../src/clock.js';
import { type FakeBotApi, type FakeBotApiLimits, startFakeBotApi } from '../support/fake-bot-api.js';

const GROUP = -1_001_000_000_001;
const OTHER_GROUP = -4242;
const USER = 7001;

/*
 * Virtual time: the queue (on systemClock), the fake Bot API's timestamps and limits, and the
 * simulated latencies all read vitest's fake Date, performance and timers, so these tests assert
 * order, counts and virtual intervals, not how fast this machine is. Only the HTTP round trips to
 * the fake are real: {@link run} lets them finish before it moves the clock to the next timer.
 */
const VIRTUAL: Parameters<typeof vi.useFakeTimers>[0] = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
};

let fake: FakeBotApi | undefined;
let queue: SendQueue | undefined;
/** Real HTTP requests to the fake not answered yet, and who waits for there to be none. */
let http = { inFlight: 0, idle: [] as (() => void)[] };

beforeEach(() => {
  vi.useFakeTimers(VIRTUAL);
  http = { inFlight: 0, idle: [] };
});

afterEach(async () => {
  if (queue) await run(queue.close());
  vi.useRealTimers();
  await fake?.close();
  queue = undefined;
  fake = undefined;
});

/** Counts the real HTTP requests of a sender, so that {@link run} can wait for their answers. */
function tracked(send: SendFn): SendFn {
  return async (msg) => {
    http.inFlight++;
    try {
      return await send(msg);
    } finally {
      if (--http.inFlight === 0) for (const resolve of http.idle.splice(0)) resolve();
    }
  };
}

/**
 * Settles `promise` on virtual time: repeatedly lets real I/O finish (no HTTP request to the fake
 * open, one real macrotask), then advances the fake clock to the next timer.
 */
async function run<T>(promise: Promise<T>): Promise<T> {
  if (!vi.isFakeTimers()) return promise;
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  for (;;) {
    if (http.inFlight > 0) await new Promise<void>((resolve) => http.idle.push(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) return promise;
    if (http.inFlight > 0) continue;
    if (vi.getTimerCount() === 0)
      throw new Error('nothing in flight and no timer: the promise never settles');
    await vi.advanceTimersToNextTimerAsync();
  }
}

/** Starts a fake Bot API (with flood limits if given) and a queue sending to it through telegraf. */
async function setup(
  options: SendQueueOptions = {},
  limits?: FakeBotApiLimits,
  wrap: (send: SendFn) => SendFn = (send) => send,
): Promise<{ fake: FakeBotApi; queue: SendQueue }> {
  fake = await startFakeBotApi(limits ? { limits } : {});
  const telegram = new Telegram(fake.token, { apiRoot: fake.url });
  queue = new SendQueue(wrap(tracked(telegramSender(telegram))), options);
  return { fake, queue };
}

/** sendMessage calls recorded by the fake (answered or not), optionally for one chat. */
function sendCalls(f: FakeBotApi, chatId?: number) {
  return f.callsOf('sendMessage').filter((c) => chatId === undefined || c.params.chat_id === chatId);
}

/** The largest number of timestamps that fit in a window of `windowMs` (span strictly below it). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Wraps a sender with a fixed extra latency and counts concurrent calls. */
function withLatency(ms: number, probe: { started: number; inFlight: number; maxInFlight: number }) {
  return (send: SendFn): SendFn =>
    async (msg) => {
      probe.started++;
      probe.inFlight++;
      probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
      try {
        await sleep(ms);
        return await send(msg);
      } finally {
        probe.inFlight--;
      }
    };
}

const probe = () => ({ started: 0, inFlight: 0, maxInFlight: 0 });

describe('pacing against the fake Bot API with flood limits', () => {
  it('delivers 100 messages to 50 chats at 50/s with no 429, in order per chat', async () => {
    const { fake, queue } = await setup(
      { globalPerSecond: 50 },
      { globalPerSecond: 50, perChatPerSecond: 1, perGroupPerMinute: 20 },
    );
    const chats = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? -(100 + i) : 1000 + i));
    const started = performance.now();
    // Two messages per chat, enqueued chat by chat: the second one of each chat must wait 1 s
    // while the other chats go ahead.
    const outcomes = chats.flatMap((chatId) =>
      [1, 2].map((n) => queue.enqueue({ chatId, text: `message ${n} to ${chatId}` })),
    );
    expect(queue.pending).toBe(100);
    const results = await run(Promise.all(outcomes));
    await run(queue.drain());
    const elapsed = performance.now() - started;

    expect(results.every((r) => r.ok)).toBe(true);
    expect(queue.pending).toBe(0);
    expect(fake.stats().tooManyRequests).toBe(0);
    expect(fake.stats().sendsOk).toBe(100);
    for (const chatId of chats) {
      expect(fake.deliveredTexts(chatId)).toEqual([`message 1 to ${chatId}`, `message 2 to ${chatId}`]);
    }
    expect(
      maxInWindow(
        sendCalls(fake).map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
    // 100 evenly spaced starts at 50/s take about 2 s: not less, and not much more.
    expect(elapsed).toBeGreaterThanOrEqual(99 * 20 - 5);
    expect(elapsed).toBeLessThan(3_500);
    console.info(`send-queue: 100 messages to 50 chats at 50/s in ${Math.round(elapsed)} ms`);
  });

  it('keeps several chats in flight: HTTP latency does not serialise the queue', async () => {
    const seen = probe();
    const { fake, queue } = await setup(
      { globalPerSecond: 50 },
      { globalPerSecond: 50 },
      withLatency(150, seen),
    );
    const started = performance.now();
    const results = await run(
      Promise.all(
        Array.from({ length: 20 }, (_, i) => queue.enqueue({ chatId: -(500 + i), text: `fan-out ${i}` })),
      ),
    );
    const elapsed = performance.now() - started;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.stats().tooManyRequests).toBe(0);
    expect(seen.maxInFlight).toBeGreaterThanOrEqual(5);
    // Serialised it would take 20 × 150 ms = 3 s; paced at 50/s it takes about 19 × 20 + 150 ms.
    expect(elapsed).toBeLessThan(1_500);
  });

  it('counts a send in the 30/s window until its answer: requests bunched on their way by a stall draw no 429', async () => {
    // A starved CPU: everything started in the first 500 ms reaches the server at 500 ms, bunched
    // with the sends started right after it.
    let stallEnd = 0;
    const stalled =
      (send: SendFn): SendFn =>
      async (msg) => {
        const late = stallEnd - performance.now();
        if (late > 0) await sleep(late);
        return send(msg);
      };
    const { fake, queue } = await setup({}, { globalPerSecond: 30 }, stalled);
    stallEnd = performance.now() + 500;
    const results = await run(
      Promise.all(Array.from({ length: 75 }, (_, i) => queue.enqueue({ chatId: -(700 + i), text: `s${i}` }))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const arrivals = sendCalls(fake).map((c) => c.at);
    expect(arrivals.filter((at) => at === arrivals[0])).toHaveLength(15);
    expect(maxInWindow(arrivals, 1000)).toBeLessThanOrEqual(30);
    expect(fake.stats().tooManyRequests).toBe(0);
  });

  it('sends to one chat one at a time, ≥ perChatIntervalMs apart, without holding up other chats', async () => {
    const { fake, queue } = await setup({ globalPerSecond: 50 }, { perChatPerSecond: 1 });
    const started = performance.now();
    const outcomes = [
      ...[1, 2, 3].map((n) => queue.enqueue({ chatId: USER, text: `a${n}` })),
      queue.enqueue({ chatId: GROUP, text: 'b1' }),
    ];
    const results = await run(Promise.all(outcomes));
    const elapsed = performance.now() - started;

    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.stats().tooManyRequests).toBe(0);
    expect(fake.deliveredTexts(USER)).toEqual(['a1', 'a2', 'a3']);
    const times = sendCalls(fake, USER).map((c) => c.at);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1000);
    // The other chat's message, queued last, went out while the first chat waited.
    expect(sendCalls(fake, GROUP)[0]!.at).toBeLessThan(times[1]!);
    expect(elapsed).toBeGreaterThanOrEqual(2000);
  });

  it('keeps at most perGroupPerMinute messages in a 60 s window per group; private chats are not group-limited', async () => {
    const { fake, queue } = await setup(
      { globalPerSecond: 50, perGroupPerMinute: 3, perChatIntervalMs: 0 },
      { perGroupPerMinute: 3 },
    );
    const toGroup = [1, 2, 3, 4, 5].map((n) => queue.enqueue({ chatId: OTHER_GROUP, text: `g${n}` }));
    const toUser = [1, 2, 3, 4].map((n) => queue.enqueue({ chatId: USER, text: `u${n}` }));

    expect((await run(Promise.all(toUser))).every((r) => r.ok)).toBe(true);
    await run(fake.waitForSent(3, OTHER_GROUP));
    await run(sleep(400));
    expect(fake.deliveredTexts(OTHER_GROUP)).toEqual(['g1', 'g2', 'g3']);
    expect(queue.pending).toBe(2);
    expect(fake.stats().tooManyRequests).toBe(0);
    const times = sendCalls(fake, OTHER_GROUP).map((c) => c.at);
    expect(times).toHaveLength(3);
    // perChatIntervalMs 0: the three went out back to back, only paced by the global spacing.
    expect(times[2]! - times[0]!).toBeLessThan(1000);
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(3);

    // The 4th and 5th would wait for the window to slide (60 s): closing gives them up.
    await run(queue.close());
    const late = await run(Promise.all(toGroup.slice(3)));
    expect(late).toEqual([
      { ok: false, kind: 'gave_up', description: 'shutting down' },
      { ok: false, kind: 'gave_up', description: 'shutting down' },
    ]);
    expect(sendCalls(fake, OTHER_GROUP)).toHaveLength(3);
  });
});

describe('failures', () => {
  it('429 retry_after 1: pauses the chat and the whole queue, then retries that message first, once', async () => {
    const { fake, queue } = await setup({ globalPerSecond: 2 });
    fake.failNext('sendMessage', { kind: 'retry_after', seconds: 1 }, { chatId: GROUP });
    const first = queue.enqueue({ chatId: GROUP, text: 'reminder' });
    const second = queue.enqueue({ chatId: USER, text: 'other chat' });
    expect((await run(first)).ok).toBe(true);
    expect((await run(second)).ok).toBe(true);

    const calls = sendCalls(fake, GROUP);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(fake.deliveredTexts(GROUP)).toEqual(['reminder']);
    // The whole queue paused: the other chat's message went after the retried one.
    const other = sendCalls(fake, USER);
    expect(other).toHaveLength(1);
    expect(other[0]!.at).toBeGreaterThanOrEqual(calls[1]!.at);
    expect(fake.stats().tooManyRequests).toBe(1);
  });

  it('retry_after above the cap gives up at once; later messages to that chat fail fast, others still go', async () => {
    const { fake, queue } = await setup({ globalPerSecond: 50 });
    fake.failNext('sendMessage', { kind: 'retry_after', seconds: 3600 }, { chatId: GROUP });
    const started = performance.now();
    const outcome = await run(queue.enqueue({ chatId: GROUP, text: 'digest' }));
    expect(outcome).toMatchObject({ ok: false, kind: 'gave_up' });
    expect(performance.now() - started).toBeLessThan(1000);

    const again = await run(queue.enqueue({ chatId: GROUP, text: 'digest 2' }));
    expect(again).toMatchObject({ ok: false, kind: 'gave_up' });
    expect(sendCalls(fake, GROUP)).toHaveLength(1);
    expect((await run(queue.enqueue({ chatId: USER, text: 'hello' }))).ok).toBe(true);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('retries a 500 with backoff and delivers once', async () => {
    const { fake, queue } = await setup({ backoffBaseMs: 20, perChatIntervalMs: 0 });
    fake.failNext('sendMessage', { kind: 'server_error' }, { chatId: GROUP, times: 2 });
    const outcome = await run(queue.enqueue({ chatId: GROUP, text: 'after two 500s' }));
    expect(outcome).toEqual({ ok: true, messageId: expect.any(Number) });
    expect(sendCalls(fake, GROUP).map((c) => c.status)).toEqual([500, 500, 200]);
    expect(fake.deliveredTexts(GROUP)).toEqual(['after two 500s']);
  });

  it('gives up after maxAttempts transient failures', async () => {
    const { fake, queue } = await setup({ backoffBaseMs: 10, maxAttempts: 3, perChatIntervalMs: 0 });
    fake.failNext('sendMessage', { kind: 'server_error', code: 502 }, { chatId: GROUP, times: 5 });
    const outcome = await run(queue.enqueue({ chatId: GROUP, text: 'never' }));
    expect(outcome).toMatchObject({ ok: false, kind: 'gave_up' });
    expect(sendCalls(fake, GROUP).map((c) => c.status)).toEqual([502, 502, 502]);
  });

  it('retries a dropped connection (network error) and delivers once', async () => {
    const { fake, queue } = await setup({ backoffBaseMs: 20, perChatIntervalMs: 0 });
    fake.failNext('sendMessage', { kind: 'drop' }, { chatId: USER });
    const outcome = await run(queue.enqueue({ chatId: USER, text: 'after a drop' }));
    expect(outcome.ok).toBe(true);
    expect(sendCalls(fake, USER).map((c) => c.status)).toEqual([0, 200]);
    expect(fake.deliveredTexts(USER)).toEqual(['after a drop']);
  });

  it('403 → forbidden, without a retry', async () => {
    const { fake, queue } = await setup();
    fake.blockChat(GROUP, { kind: 'forbidden' });
    const outcome = await run(queue.enqueue({ chatId: GROUP, text: 'x' }));
    expect(outcome).toEqual({
      ok: false,
      kind: 'forbidden',
      description: 'Forbidden: bot was kicked from the group chat',
    });
    await run(sleep(50));
    expect(sendCalls(fake, GROUP)).toHaveLength(1);
  });

  it('400 chat not found → chat_not_found, without a retry', async () => {
    const { fake, queue } = await setup();
    fake.failNext('sendMessage', { kind: 'chat_not_found' }, { chatId: OTHER_GROUP });
    const outcome = await run(queue.enqueue({ chatId: OTHER_GROUP, text: 'x' }));
    expect(outcome).toEqual({
      ok: false,
      kind: 'chat_not_found',
      description: 'Bad Request: chat not found',
    });
    expect(sendCalls(fake, OTHER_GROUP)).toHaveLength(1);
  });

  it('migrated group → migrated with the new chat id', async () => {
    const { fake, queue } = await setup();
    fake.failNext('sendMessage', { kind: 'migrate', toChatId: GROUP }, { chatId: OTHER_GROUP });
    const outcome = await run(queue.enqueue({ chatId: OTHER_GROUP, text: 'x' }));
    expect(outcome).toMatchObject({ ok: false, kind: 'migrated', toChatId: GROUP });
    expect(sendCalls(fake, OTHER_GROUP)).toHaveLength(1);
  });

  it('any other 400 → bad_request, without a retry', async () => {
    const { fake, queue } = await setup();
    const outcome = await run(
      queue.enqueue({
        chatId: USER,
        text: 'bad button',
        replyMarkup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] },
      }),
    );
    expect(outcome).toEqual({
      ok: false,
      kind: 'bad_request',
      description: 'Bad Request: BUTTON_DATA_INVALID',
    });
    expect(sendCalls(fake, USER)).toHaveLength(1);
  });
});

describe('messages and lifecycle', () => {
  it('passes the forum topic and keyboard and disables link previews', async () => {
    const { fake, queue } = await setup({ perChatIntervalMs: 0 });
    const keyboard = { inline_keyboard: [[{ text: '完成', callback_data: 'done:1' }]] };
    const messages: OutgoingMessage[] = [
      { chatId: GROUP, threadId: 7, text: 'in topic https://example.org', replyMarkup: keyboard },
      { chatId: GROUP, threadId: 0, text: 'in General' },
    ];
    const results = await run(Promise.all(messages.map((m) => queue.enqueue(m))));
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const [inTopic, inGeneral] = fake.sent(GROUP);
    expect(inTopic).toMatchObject({
      message_thread_id: 7,
      reply_markup: keyboard,
      link_preview_options: { is_disabled: true },
    });
    expect(inGeneral!.message_thread_id).toBeUndefined();
    expect(inGeneral!.reply_markup).toBeUndefined();
  });

  it('close() gives up queued messages, waits for the one in flight, and is idempotent', async () => {
    const seen = probe();
    const { fake, queue } = await setup({ globalPerSecond: 1 }, undefined, withLatency(200, seen));
    const outcomes = [1, 2, 3, 4].map((n) => queue.enqueue({ chatId: 100 + n, text: `m${n}` }));
    let firstSettledAt = 0;
    void outcomes[0]!.then(() => {
      firstSettledAt = performance.now();
    });
    await run(sleep(50));
    expect(seen.started).toBe(1);
    expect(queue.pending).toBe(4);

    const closing = queue.close();
    expect(queue.close()).toBe(closing);
    await run(closing);
    const closedAt = performance.now();
    expect(firstSettledAt).toBeGreaterThan(0);
    expect(firstSettledAt).toBeLessThanOrEqual(closedAt);
    const results = await run(Promise.all(outcomes));
    expect(results[0]!.ok).toBe(true);
    for (const r of results.slice(1))
      expect(r).toEqual({ ok: false, kind: 'gave_up', description: 'shutting down' });
    expect(queue.pending).toBe(0);
    expect(fake.stats().sendsOk).toBe(1);
    expect(await run(queue.enqueue({ chatId: USER, text: 'late' }))).toMatchObject({
      ok: false,
      kind: 'gave_up',
    });
    await run(queue.drain());
  });

  it('leaves no ref’d timer behind once the queue is empty', async () => {
    // Real timers: what keeps a process alive is what this checks.
    vi.useRealTimers();
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const local = new SendQueue(async () => ({ message_id: 1 }), {
      globalPerSecond: 100,
      perChatIntervalMs: 0,
    });
    const results = await Promise.all([-1, -2, -3, 4].map((chatId) => local.enqueue({ chatId, text: 't' })));
    expect(results.every((r) => r.ok)).toBe(true);
    await local.drain();
    expect(timers()).toBeLessThanOrEqual(before);
    await local.close();
  });

  it('never rejects when the sender throws synchronously', async () => {
    const local = new SendQueue(
      () => {
        throw new TelegramError({ error_code: 400, description: 'Bad Request: message text is empty' });
      },
      { perChatIntervalMs: 0 },
    );
    expect(await run(local.enqueue({ chatId: USER, text: '' }))).toEqual({
      ok: false,
      kind: 'bad_request',
      description: 'Bad Request: message text is empty',
    });
    await local.close();
  });
});

describe('classifyError', () => {
  const api = (error_code: number, description: string, parameters?: object) =>
    new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) });

  it.each([
    [api(429, 'Too Many Requests: retry after 5', { retry_after: 5 }), { kind: 'retry_after', seconds: 5 }],
    [api(429, 'Too Many Requests: retry after 7'), { kind: 'retry_after', seconds: 7 }],
    [api(500, 'Internal Server Error'), { kind: 'transient' }],
    [api(502, 'Bad Gateway'), { kind: 'transient' }],
    [
      api(403, 'Forbidden: bot was blocked by the user'),
      { ok: false, kind: 'forbidden', description: 'Forbidden: bot was blocked by the user' },
    ],
    [
      api(400, 'Bad Request: chat not found'),
      { ok: false, kind: 'chat_not_found', description: 'Bad Request: chat not found' },
    ],
    [
      api(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: -100123 }),
      {
        ok: false,
        kind: 'migrated',
        toChatId: -100123,
        description: 'Bad Request: group chat was upgraded to a supergroup chat',
      },
    ],
    [
      api(400, "Bad Request: can't parse entities"),
      { ok: false, kind: 'bad_request', description: "Bad Request: can't parse entities" },
    ],
    // A rejected token is not the chat's fault: nothing is given up for good, the next tick retries.
    [
      api(401, 'Unauthorized'),
      { ok: false, kind: 'gave_up', description: 'BOT_TOKEN was rejected by Telegram (401)' },
    ],
    [
      api(404, 'Not Found'),
      { ok: false, kind: 'gave_up', description: 'BOT_TOKEN was rejected by Telegram (404)' },
    ],
    [
      api(400, 'Bad Request: not enough rights to send text messages to the chat'),
      {
        ok: false,
        kind: 'forbidden',
        description: 'Bad Request: not enough rights to send text messages to the chat',
      },
    ],
    [
      new TelegramTimeoutError('sendMessage', 15_000),
      { ok: false, kind: 'gave_up', description: 'Telegram did not answer sendMessage within 15 s' },
    ],
    [
      Object.assign(new Error('request to http://127.0.0.1/bot/sendMessage failed, reason: socket hang up'), {
        name: 'FetchError',
        type: 'system',
        code: 'ECONNRESET',
      }),
      { kind: 'transient' },
    ],
    [
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) }),
      { kind: 'transient' },
    ],
    ['something odd', { kind: 'transient' }],
  ])('%#: %s', (err, expected) => {
    expect(classifyError(err)).toEqual(expected);
  });
});

describe('priority', () => {
  it('sends interactive replies before queued bulk messages, within the same limits, losing nothing', async () => {
    const order: string[] = [];
    const { fake, queue } = await setup(
      { globalPerSecond: 20 },
      { globalPerSecond: 20, perChatPerSecond: 1, perGroupPerMinute: 20 },
      (send) => async (msg) => {
        order.push(msg.text);
        return send(msg);
      },
    );
    const bulk = Array.from({ length: 30 }, (_, i) =>
      queue.enqueue({ chatId: -5000 - i, text: `bulk ${i}` }),
    );
    await run(sleep(120)); // a few bulk messages are out
    const replies = [1, 2, 3].map((i) =>
      queue.enqueue({ chatId: USER + i, text: `reply ${i}`, priority: 'interactive' }),
    );
    // A reply to a group that has a reminder queued goes before it in that chat.
    const groupReminder = queue.enqueue({ chatId: -5029, text: 'bulk again' });
    const groupReply = queue.enqueue({ chatId: -5029, text: 'group reply', priority: 'interactive' });
    const outcomes = await run(Promise.all([...bulk, groupReminder, groupReply]));
    expect((await run(Promise.all(replies))).every((o) => o.ok)).toBe(true);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const firstReply = order.findIndex((t) => t.startsWith('reply'));
    const bulkBefore = order.slice(0, firstReply).filter((t) => t.startsWith('bulk')).length;
    // The replies went out right after what was in flight, not after the 30 queued bulk messages.
    expect(bulkBefore).toBeLessThan(10);
    expect(order.filter((t) => t.startsWith('reply'))).toHaveLength(3);
    expect(order.indexOf('group reply')).toBeLessThan(order.indexOf('bulk again'));
    expect(fake.stats().tooManyRequests).toBe(0);
    expect(order).toHaveLength(35);
  });
});
