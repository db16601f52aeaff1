import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../src/app/notifier.js';
import { Metrics } from '../src/metrics.js';

/** GET /metrics in Prometheus text format, fed the way main.ts feeds it. */

async function scrape(metrics: Metrics): Promise<{ status: number; type: string; body: string }> {
  const server = createServer((req, res) => void metrics.route(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

const line = (body: string, name: string) =>
  body
    .split('\n')
    .find((l) => l.startsWith(name))
    ?.slice(name.length)
    .trim();

describe('Metrics', () => {
  it('counts updates, replies, reminders, 429s, queue depth and waits, last tick and last poll', async () => {
    let t = 1_800_000_000_000;
    let depth = 3;
    const metrics = new Metrics({ now: () => t }, () => depth);
    metrics.updateHandled('message');
    metrics.updateHandled('message');
    metrics.updateHandled('callback_query');

    // A reply waits 250 ms in the queue, then is sent; another draws a 429.
    const pace = metrics.observePace(async (_chat, call) => {
      t += 250;
      return call();
    });
    await pace(1, async () => ({ message_id: 1 }));
    const flood = new TelegramError({
      error_code: 429,
      description: 'Too Many Requests: retry after 5',
      parameters: { retry_after: 5 },
    });
    await expect(
      pace(1, async () => {
        throw flood;
      }),
    ).rejects.toBe(flood);

    // A reminder queued at t, sent 2 s later.
    const sent: OutgoingMessage[] = [];
    const send = metrics.observeSends(async (msg) => {
      sent.push(msg);
      return { message_id: 2 };
    });
    const notifier = metrics.observeNotifier({
      enqueue: async (msg) => {
        t += 2_000;
        await send(msg);
        return { ok: true, messageId: 2 };
      },
    });
    await notifier.enqueue({ chatId: -100, text: 'x' } as OutgoingMessage);
    metrics.tickFinished({ sent: 4, failed: 1, deactivated: 0, migrated: 0, retried: 2 });
    metrics.pollSucceeded();
    depth = 7;

    const { status, type, body } = await scrape(metrics);
    expect(status).toBe(200);
    expect(type).toContain('text/plain');
    expect(body).toContain('# TYPE kczm_updates_total counter');
    expect(line(body, 'kczm_updates_total{kind="message"}')).toBe('2');
    expect(line(body, 'kczm_updates_total{kind="callback_query"}')).toBe('1');
    expect(line(body, 'kczm_replies_total{outcome="sent"}')).toBe('1');
    expect(line(body, 'kczm_telegram_429_total')).toBe('1');
    expect(line(body, 'kczm_reminders_total{outcome="sent"}')).toBe('4');
    expect(line(body, 'kczm_reminders_total{outcome="failed"}')).toBe('1');
    expect(line(body, 'kczm_reminders_total{outcome="postponed"}')).toBe('2');
    expect(line(body, 'kczm_reminder_ticks_total{result="ok"}')).toBe('1');
    expect(line(body, 'kczm_send_queue_depth')).toBe('7');
    expect(line(body, 'kczm_send_queue_wait_seconds_count{kind="reply"}')).toBe('2');
    expect(line(body, 'kczm_send_queue_wait_seconds_bucket{le="0.25",kind="reply"}')).toBe('2');
    expect(line(body, 'kczm_send_queue_wait_seconds_bucket{le="1",kind="reminder"}')).toBe('0');
    expect(line(body, 'kczm_send_queue_wait_seconds_bucket{le="2.5",kind="reminder"}')).toBe('1');
    expect(Number(line(body, 'kczm_last_reminder_tick_timestamp_seconds'))).toBe(t / 1000);
    expect(Number(line(body, 'kczm_last_get_updates_success_timestamp_seconds'))).toBe(t / 1000);
    expect(sent).toHaveLength(1);
  });
  it('counts what happened before prom-client was loaded and after, once each', async () => {
    let t = 1_800_000_000_000;
    const metrics = new Metrics({ now: () => t });
    metrics.updateHandled('message');
    metrics.pollSucceeded();
    const loading = metrics.load();
    // Observed while prom-client loads: replayed with the time it happened.
    t += 5_000;
    metrics.updateHandled('message');
    await loading;
    t += 5_000;
    metrics.updateHandled('inline_query');
    const { body } = await scrape(metrics);
    expect(line(body, 'kczm_updates_total{kind="message"}')).toBe('2');
    expect(line(body, 'kczm_updates_total{kind="inline_query"}')).toBe('1');
    expect(line(body, 'kczm_last_get_updates_success_timestamp_seconds')).toBe('1800000000');
    // A second scrape counts nothing twice.
    expect(line((await scrape(metrics)).body, 'kczm_updates_total{kind="message"}')).toBe('2');
  });
});
