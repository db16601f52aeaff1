import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegram } from 'telegraf';
import { SendQueue } from '../../src/bot/send-queue.js';
import { telegramSender } from '../../src/bot/telegram-sender.js';
import { openDatabase } from '../../src/db/client.js';
import { deadlines } from '../../src/db/schema.js';
import { applySeed } from '../../src/db/seed.js';
import { readSeedData } from '../../src/db/seed-files.js';
import { createLogger } from '../../src/logger.js';
import { runtimeOver } from '../../src/runtime.js';
import { createServices } from '../../src/services.js';
import { bindManyGroups } from '../support/bulk-bindings.js';
import { startFakeBotApi } from '../support/fake-bot-api.js';
import { DATA_DIR } from '../support/roster.js';
import { PeakRss, settledMemory } from './memory.js';
import { askAndMeasure, fmtLatency, latency, startPollingBot } from './replies.js';
import { fmt, table } from './table.js';

/**
 * Reminder fan-out benchmark: one tick of the real ReminderService to 1,301 bound groups through
 * the real SendQueue and telegraf, against the local fake Bot API enforcing Telegram's flood
 * limits. In-process, on a temporary SQLite file with the real migrations and seed.
 */

const CITY_GROUPS = 103;
const UNIT_GROUPS = 1_198;
const LIMITS = { globalPerSecond: 30, perGroupPerMinute: 20, perChatPerSecond: 1 } as const;
const TIME_ZONE = 'Asia/Shanghai';
/** Fan-out time may exceed the theoretical minimum by at most this fraction. */
const WITHIN = 0.1;
/** With replies going first, the first-to-last span may exceed its floor by at most this. */
const SPAN_WITHIN = 0.05;
/** Private questions asked while idle, and during the fan-out (one every QUESTION_EVERY_MS). */
const IDLE_QUESTIONS = 20;
const FANOUT_QUESTIONS = 40;
const QUESTION_EVERY_MS = 500;
/** Reply latency target during the fan-out (p99). */
const REPLY_P99_MS = 1_000;
const FIRST_USER = 500_000;
const RSS_SAMPLE_MS = 100;
const HOUR = 3_600_000;

const FIRST_CHAT_ID = -1_002_000_000_000;

/** Runs the fan-out and writes its section body to stdout (the heading is printed by main.ts). */
export async function benchFanout(progress: (message: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kczm-fanout-'));
  const fake = await startFakeBotApi({ limits: LIMITS });
  const runtime = runtimeOver(openDatabase(join(dir, 'bot.db')), TIME_ZONE);
  const queue = new SendQueue(telegramSender(new Telegram(fake.token, { apiRoot: fake.url })));
  try {
    const { db } = runtime;
    applySeed(db, readSeedData(DATA_DIR));
    const chats = bindManyGroups(db, CITY_GROUPS, UNIT_GROUPS, FIRST_CHAT_ID);
    const now = Date.now();
    // A 2-hour reminder that fired a second ago: due now (not late).
    db.insert(deadlines)
      .values({
        title: '基准测试：提交阶段总结',
        submit: '阶段总结（PDF）',
        dueAt: now + 2 * HOUR - 1_000,
        audience: { kind: 'all_units' },
        offsets: ['2h'],
        source: null,
      })
      .run();

    const logger = createLogger('warn');
    const services = createServices(runtime, { adminUserIds: [], timeZone: TIME_ZONE }, queue, logger);

    const polling = await startPollingBot(fake, queue, services);
    progress(`fan-out: ${IDLE_QUESTIONS} private questions to the idle bot`);
    const idle = latency(await askAndMeasure(fake, IDLE_QUESTIONS, 100, FIRST_USER));
    progress(
      `fan-out: one tick to ${fmt.int(chats.length)} groups (at least ${(chats.length / 30).toFixed(1)} s), ${FANOUT_QUESTIONS} questions during it`,
    );
    const before = settledMemory();
    const peak = new PeakRss();
    peak.sample();
    const sampler = setInterval(() => peak.sample(), RSS_SAMPLE_MS);
    const started = performance.now();
    const tick = services.reminders.tick(now);
    // Ask once the fan-out is under way (50 groups reached).
    await fake.waitFor(
      () => fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) < 0).length >= 50,
      30_000,
    );
    const during = latency(
      await askAndMeasure(fake, FANOUT_QUESTIONS, QUESTION_EVERY_MS, FIRST_USER + IDLE_QUESTIONS),
    );
    const first = await tick;
    const seconds = (performance.now() - started) / 1000;
    const groupSends = fake
      .callsOf('sendMessage')
      .filter((c) => Number(c.params.chat_id) < 0 && c.status === 200)
      .map((c) => c.at);
    const span = (Math.max(...groupSends) - Math.min(...groupSends)) / 1000;
    const spanFloor = (chats.length - 1) / LIMITS.globalPerSecond;
    clearInterval(sampler);
    peak.sample();
    const after = settledMemory();
    const firstStats = fake.stats();

    progress('fan-out: second tick (must send nothing)');
    const secondStarted = performance.now();
    const second = await services.reminders.tick(Date.now());
    const secondMs = performance.now() - secondStarted;
    const stats = fake.stats();
    await polling.stop();

    const counts = chats.map((chatId) => stats.deliveredPerChat.get(chatId) ?? 0);
    const duplicates = counts.filter((n) => n > 1).length;
    const losses = counts.filter((n) => n === 0).length;
    const minimum = chats.length / LIMITS.globalPerSecond;
    const ratio = seconds / minimum;
    const secondSends = stats.sendsOk - firstStats.sendsOk;

    const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const out = [
      `${fmt.int(chats.length)} groups bound (${CITY_GROUPS} city + ${fmt.int(UNIT_GROUPS)} unit groups over ${runtime.ports.roster.load().units.length} units), ` +
        `one all-units deadline due now; fake Bot API limits ${LIMITS.globalPerSecond}/s global, ` +
        `${LIMITS.perChatPerSecond}/s per chat, ${LIMITS.perGroupPerMinute}/min per group`,
      table(
        ['<measure', 'value'],
        [
          ['tick wall time (s)', seconds.toFixed(2)],
          [
            `theoretical minimum ${fmt.int(chats.length)} / ${LIMITS.globalPerSecond} (s)`,
            minimum.toFixed(2),
          ],
          ['ratio to the minimum', `${ratio.toFixed(3)} (+${fmt.pct(ratio - 1, 1)})`],
          [
            `first-to-last span (s) vs floor ${fmt.int(chats.length - 1)} / ${LIMITS.globalPerSecond} = ${spanFloor.toFixed(2)} s`,
            `${span.toFixed(2)} (×${(span / spanFloor).toFixed(3)})`,
          ],
          [
            `span less the ${FANOUT_QUESTIONS} replies' own global slots (s, ×floor)`,
            `${(span - FANOUT_QUESTIONS / LIMITS.globalPerSecond).toFixed(2)} (×${((span - FANOUT_QUESTIONS / LIMITS.globalPerSecond) / spanFloor).toFixed(3)})`,
          ],
          ['private reply latency, idle bot: p50 / p99 / max', fmtLatency(idle)],
          ['private reply latency during the fan-out: p50 / p99 / max', fmtLatency(during)],
          ['messages sent (tick summary)', fmt.int(first.sent)],
          ['failed / postponed (tick summary)', `${first.failed} / ${first.retried}`],
          [
            `messages delivered (fake; ${IDLE_QUESTIONS + FANOUT_QUESTIONS} are private replies)`,
            fmt.int(firstStats.sendsOk),
          ],
          ['429 answers received by the bot', fmt.int(stats.tooManyRequests)],
          ['groups with more than one message', fmt.int(duplicates)],
          ['groups with no message', fmt.int(losses)],
          ['RSS before the tick (MB, after GC)', fmt.mb(before.rssMb)],
          [`peak RSS during the tick (MB, sampled every ${RSS_SAMPLE_MS} ms)`, fmt.mb(peak.mb)],
          ['peak RSS minus RSS before the tick (MB)', fmt.mb(peak.mb - before.rssMb)],
          ['heapUsed delta after the tick (MB, after GC)', fmt.mb(after.heapUsedMb - before.heapUsedMb)],
          ['second tick: messages sent (summary / fake)', `${second.sent} / ${secondSends}`],
          ['second tick wall time (ms)', fmt.ms(secondMs)],
        ],
      ),
      `[${mark(ratio <= 1 + WITHIN)}] fan-out within ${WITHIN * 100}% of the minimum: ${seconds.toFixed(2)} s vs ${minimum.toFixed(2)} s`,
      `[${mark(span <= spanFloor * (1 + SPAN_WITHIN))}] span within ${SPAN_WITHIN * 100}% of the floor with ${FANOUT_QUESTIONS} replies sent first: ${span.toFixed(2)} s vs ${spanFloor.toFixed(2)} s`,
      `[${mark(during.p99 <= REPLY_P99_MS)}] private replies during the fan-out p99 ≤ ${REPLY_P99_MS} ms: ${during.p99.toFixed(0)} ms (idle ${idle.p99.toFixed(0)} ms; issue: p50 25 s, max 44 s)`,
      `[${mark(duplicates === 0)}] zero duplicates: ${duplicates}`,
      `[${mark(losses === 0)}] zero losses: ${losses}`,
      `[${mark(second.sent === 0 && secondSends === 0)}] idempotent: the second tick sent ${secondSends}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await queue.close();
    runtime.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
