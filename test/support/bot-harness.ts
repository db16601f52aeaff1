import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { AnswerService } from '../../src/app/answer-service.js';
import { createBot } from '../../src/bot/create-bot.js';
import { RosterStore } from '../../src/db/roster-store.js';
import { createLogger } from '../../src/logger.js';
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
  handle(update: Update): Promise<void>;
  close(): Promise<void>;
}

export async function startBotHarness(): Promise<BotHarness> {
  const fake = await startFakeBotApi();
  const db = seededMemoryDb();
  const bot = createBot({
    token: fake.token,
    apiRoot: fake.url,
    answers: new AnswerService(new RosterStore(db)),
    logger: createLogger('silent'),
    botInfo: fake.botUser,
  });
  return {
    bot,
    fake,
    db,
    handle: (update) => bot.handleUpdate(update),
    async close() {
      await fake.close();
      db.$client.close();
    },
  };
}
