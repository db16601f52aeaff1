import { BotProcess, TEST_TOKEN } from './bot-process.js';
import { type FakeBotApi, startFakeBotApi } from './fake-bot-api.js';

/**
 * What the whole-process reminder tests share: a fake Bot API enforcing Telegram's flood limits,
 * the bot against it with a reminder tick every second, and reading a chat's messages.
 */

/** The fake Bot API enforcing ~1 msg/s per chat, 20/min per group, 30/s overall. */
export function startLimitedFake(): Promise<FakeBotApi> {
  return startFakeBotApi({
    token: TEST_TOKEN,
    limits: { perChatPerSecond: 1, perGroupPerMinute: 20, globalPerSecond: 30 },
  });
}

/** The real bot against `fake`, with these provincial admins and a tick every second. */
export function startRemindingBot(fake: FakeBotApi, adminUserIds: string): BotProcess {
  return new BotProcess({
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    ADMIN_USER_IDS: adminUserIds,
    REMINDER_CRON: '*/1 * * * * *',
  });
}

/** The texts the bot sent to a chat, oldest first. */
export function textsIn(fake: FakeBotApi, chatId: number): string[] {
  return fake.sent(chatId).map((m) => String(m.text));
}

/** Runs `push` (an update to the bot) and resolves with the next text the bot sends to the chat. */
export async function sendAndWait(fake: FakeBotApi, chatId: number, push: () => void): Promise<string> {
  const before = fake.sent(chatId).length;
  push();
  await fake.waitForSent(before + 1, chatId, 10_000);
  return textsIn(fake, chatId).at(-1) ?? '';
}
