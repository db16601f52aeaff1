import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, TEST_TOKEN } from '../support/bot-process.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { startLimitedFake } from '../support/reminding-bot.js';

/**
 * Fair use, through the real process and the fake Bot API enforcing Telegram's limits: a user
 * flooding the bot gets a bounded number of answers and one "请稍后再试", and another user's
 * question is answered before the flooder's backlog. Counts and order only.
 */

const FLOODER = 920;
const ASKER_2 = 922;

let fake: FakeBotApi;
let bot: BotProcess;

beforeAll(async () => {
  fake = await startLimitedFake();
  bot = new BotProcess({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.url });
  await bot.waitForLog('"msg":"ready"');
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await fake?.close();
});

describe('fair use', () => {
  it('drops a flood beyond the limit with one 请稍后再试, and answers someone else first', async () => {
    for (let i = 0; i < 100; i++) fake.privateText(FLOODER, `张掖中学 ${i}`);
    fake.privateText(ASKER_2, '兰州是试点城市吗');
    await fake.waitForSent(1, ASKER_2, 20_000);
    const flooderBeforeAnswer = fake
      .sent()
      .slice(
        0,
        fake.sent().findIndex((m) => m.chat_id === ASKER_2),
      )
      .filter((m) => m.chat_id === FLOODER).length;
    // One message per second reaches the flooder's chat; the other user waited for none of that.
    expect(flooderBeforeAnswer).toBeLessThanOrEqual(2);
    // The flooder's whole share: the limit (12) plus one notice; the rest was dropped.
    await fake.waitForSent(13, FLOODER, 30_000);
    await new Promise((r) => setTimeout(r, 2_500));
    const toFlooder = fake.sent(FLOODER).map((m) => String(m.text));
    expect(toFlooder).toHaveLength(13);
    expect(toFlooder.filter((t) => t.includes('请稍后再试'))).toHaveLength(1);
  }, 60_000);
});
