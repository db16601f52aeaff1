import type { Context } from 'telegraf';
import type { Message } from 'telegraf/types';

/** True in groups and supergroups. */
export function isGroup(ctx: Context): boolean {
  return ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';
}

/** Command payload after NFKC (U+3000 becomes a space), trimmed, Chinese quotes removed. */
export function commandPayload(ctx: Context): string {
  const text = ctx.text ?? '';
  const payload = text.replace(/^\/\S+/, '');
  return payload
    .normalize('NFKC')
    .replace(/[“”"「」『』《》]/g, ' ')
    .trim();
}

/**
 * The text of a group message addressed to the bot (an @mention of it, or a reply to one of
 * its messages), without the mention; null when the message is not for the bot.
 */
export function addressedText(ctx: Context): string | null {
  const message = ctx.message as Message.TextMessage | undefined;
  if (!message || typeof message.text !== 'string') return null;
  const me = ctx.botInfo;
  const text = message.text;
  const entities = message.entities ?? [];
  // @username in the text (with or without a mention entity), or a text_mention of the bot.
  const handle = new RegExp(`@${me.username}\\b`, 'gi');
  const mentioned =
    handle.test(text) || entities.some((e) => e.type === 'text_mention' && e.user.id === me.id);
  const stripped = text.replace(handle, ' ');
  const replyTo = message.reply_to_message;
  if (!mentioned && replyTo?.from?.id !== me.id) return null;
  return stripped.trim();
}
