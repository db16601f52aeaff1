import type { Telegram } from 'telegraf';

/** Bot API methods that post a message into a chat: these count against the flood limits. */
const POSTING = new Set(['sendMessage', 'sendDocument', 'sendPhoto', 'copyMessage', 'forwardMessage']);

export type Pace = <T>(chatId: number, call: () => Promise<T>) => Promise<T>;

/**
 * Routes a Telegram instance's posting calls through the send queue, so interactive replies
 * (ctx.reply) share the pacing and 429 handling of reminders. Idempotent per instance.
 */
export function paceTelegram(telegram: Telegram, pace: Pace): Telegram {
  const marked = telegram as Telegram & { paced?: true };
  if (marked.paced) return telegram;
  const original = telegram.callApi.bind(telegram);
  telegram.callApi = ((method: string, payload: { chat_id?: unknown }, options?: unknown) => {
    const chatId = typeof payload?.chat_id === 'number' ? payload.chat_id : Number(payload?.chat_id);
    if (!POSTING.has(method) || !Number.isSafeInteger(chatId)) {
      return (original as (...args: unknown[]) => Promise<unknown>)(method, payload, options);
    }
    return pace(chatId, () =>
      (original as (...args: unknown[]) => Promise<unknown>)(method, payload, options),
    );
  }) as Telegram['callApi'];
  marked.paced = true;
  return telegram;
}
