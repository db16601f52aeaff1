import type { Context } from 'telegraf';
import type { Message } from 'telegraf/types';

/** True in groups and supergroups. */
export function isGroup(ctx: Context): boolean {
  return ctx.chat?.type === 'group' || ctx.chat?.type === 'supergroup';
}

/** A command's argument (the text after `/command`) after NFKC (U+3000 becomes a space), trimmed, Chinese quotes removed. */
export function commandArgs(text: string): string {
  return text
    .replace(/^\/\S+/, '')
    .normalize('NFKC')
    .replace(/[“”"「」『』《》]/g, ' ')
    .trim();
}

/** A command's argument keeping line breaks (for multi-line specs); one line reads as {@link commandArgs}. */
export function commandArgsMultiline(text: string): string {
  const rest = text.replace(/^\/\S+[ \t]*/, '');
  return rest.includes('\n') ? rest.normalize('NFKC').trim() : commandArgs(text);
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

/** The sender as the actor of an audited action. */
export function actorOf(ctx: Context): { id: number | null; channel: 'telegram' } {
  return { id: ctx.from?.id ?? null, channel: 'telegram' };
}

/** A numbered argument such as a deadline's: `3` or `#3`; null otherwise. */
export function idArg(text: string): number | null {
  return Number(/^#?(\d+)$/.exec(commandArgsMultiline(text))?.[1]) || null;
}
