import type { Telegram, Types } from 'telegraf';
import type { OutgoingMessage } from '../app/notifier.js';

/** Sends one message; resolves with the sent message id or throws like telegraf does. */
export type SendFn = (msg: OutgoingMessage) => Promise<{ message_id: number }>;

/**
 * A {@link SendFn} over a telegraf `Telegram`: sendMessage as plain text with message_thread_id
 * (when threadId > 0), reply_markup, and link previews disabled. Errors propagate unchanged.
 */
export function telegramSender(telegram: Telegram): SendFn {
  return async (msg) => {
    const extra: Types.ExtraReplyMessage = { link_preview_options: { is_disabled: true } };
    if (msg.threadId !== undefined && msg.threadId > 0) extra.message_thread_id = msg.threadId;
    if (msg.replyMarkup) extra.reply_markup = msg.replyMarkup;
    const sent = await telegram.sendMessage(msg.chatId, msg.text, extra);
    return { message_id: sent.message_id };
  };
}
