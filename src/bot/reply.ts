import type { Context } from 'telegraf';
import type { Answer } from '../domain/answer.js';
import { splitText } from '../domain/text/split.js';
import { button, keyboard } from './callback-data.js';

const MAX_BUTTONS = 10;
/** Telegram's limit for one message, in UTF-16 code units after entities are parsed. */
export const MAX_MESSAGE_LENGTH = 4096;

/** A text as messages within Telegram's limit, cut at line breaks where it can. */
export const splitMessage = (text: string): string[] => splitText(text, MAX_MESSAGE_LENGTH);

/** Buttons for an ambiguous answer (or the ambiguous schools of a multiple one): one per candidate unit. */
export function candidateKeyboard(answer: Answer): ReturnType<typeof keyboard> | undefined {
  // Several schools in one message: buttons for the ones that need a choice.
  const candidates =
    answer.verdict === 'ambiguous'
      ? answer.matches
      : answer.verdict === 'multiple'
        ? (answer.results ?? []).filter((r) => r.verdict === 'ambiguous').flatMap((r) => r.matches)
        : [];
  const buttons = candidates
    .filter((m) => m.kind === 'unit' && m.unitId !== undefined)
    .slice(0, MAX_BUTTONS)
    .map((m) => [button(`${m.name}（${m.city}）`, { kind: 'unit', unitId: m.unitId! })]);
  return buttons.length ? keyboard(buttons) : undefined;
}

/** Sends a plain text as one or more messages within Telegram's limit. */
export async function sendText(ctx: Context, text: string): Promise<void> {
  await sendAnswer(ctx, { intent: 'help', matches: [], reply: text });
}

/**
 * Sends an answer as one or more messages (each within Telegram's limit); in groups it replies
 * to the asking message. The keyboard goes on the last part.
 */
export async function sendAnswer(ctx: Context, answer: Answer): Promise<void> {
  const parts = splitMessage(answer.reply);
  const keyboard = candidateKeyboard(answer);
  const replyTo = ctx.message?.message_id;
  const inGroup = ctx.chat?.type !== 'private';
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.reply(part, {
      ...(inGroup && replyTo && i === 0
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
      ...(last && keyboard ? keyboard : {}),
      link_preview_options: { is_disabled: true },
    });
  }
}
