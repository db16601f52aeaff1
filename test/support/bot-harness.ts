import type { Telegraf } from 'telegraf';
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { AppPorts } from '../../src/app/ports.js';
import { createBot } from '../../src/bot/create-bot.js';
import { HandlerPool } from '../../src/bot/handler-pool.js';
import type { RateLimitOptions } from '../../src/bot/rate-limit.js';
import { SendQueue } from '../../src/bot/send-queue.js';
import type { BotServices } from '../../src/bot/services.js';
import { telegramSender } from '../../src/bot/telegram-sender.js';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { runtimeOver } from '../../src/runtime.js';
import { createServices } from '../../src/services.js';
import { seededMemoryDb } from './db.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';

/**
 * A bot wired to a seeded in-memory database and a local fake Bot API, driven update by update
 * through handleUpdate (no polling): what the handlers send is what the fake records.
 */
export interface BotHarness {
  readonly bot: Telegraf;
  readonly fake: FakeBotApi;
  readonly db: ReturnType<typeof seededMemoryDb>;
  readonly services: BotServices;
  /** The stores under the services, to check what was recorded. */
  readonly ports: AppPorts;
  handle(update: Update): Promise<void>;
  close(): Promise<void>;
}

export const TIME_ZONE = 'Asia/Shanghai';

export async function startBotHarness(
  opts: { admins?: number[]; now?: () => number; rateLimit?: RateLimitOptions } = {},
): Promise<BotHarness> {
  const clock = opts.now ?? Date.now;
  const fake = await startFakeBotApi();
  const db = seededMemoryDb();
  const logger = createLogger('silent');
  const runtime = runtimeOver(db, TIME_ZONE, { ...systemClock, now: clock });
  const queue = new SendQueue(telegramSender(new Telegram(fake.token, { apiRoot: fake.url })), {
    globalPerSecond: 1000,
    perChatIntervalMs: 0,
    perGroupPerMinute: 1000,
  });
  const services = createServices(
    runtime,
    { adminUserIds: opts.admins ?? [], timeZone: TIME_ZONE },
    queue,
    logger,
  );
  const handlers = new HandlerPool();
  const bot = createBot({
    handlers,
    // Unit tests send many updates per user; the limiter has its own tests.
    rateLimit: opts.rateLimit ?? { limit: 10_000, groupLimit: 10_000 },
    token: fake.token,
    apiRoot: fake.url,
    services,
    botInfo: fake.botUser,
    pace: (chat, call) => queue.runPaced(chat, call),
  });
  return {
    bot,
    fake,
    db,
    services,
    ports: runtime.ports,
    // Handlers run off the update loop; an update counts as handled when its handler finished.
    handle: async (update) => {
      await bot.handleUpdate(update);
      await handlers.idle();
    },
    async close() {
      await queue.close();
      await fake.close();
      db.$client.close();
    },
  };
}
