/**
 * Inline keyboards as the Bot API defines them: plain `{text, callback_data}` buttons.
 * (telegraf's `Markup.button.callback` adds `"hide": false`, a field the Bot API does not have.)
 */
import { cutText } from '../domain/text/cut.js';

export interface CallbackButton {
  readonly text: string;
  readonly callback_data: string;
}

/** Longest button label we send, in code points (longer ones are cut, never mid-character). */
export const MAX_BUTTON_TEXT = 64;

export function callbackButton(text: string, data: string): CallbackButton {
  return { text: cutText(text, MAX_BUTTON_TEXT), callback_data: data };
}

/** Extra for ctx.reply / sendMessage: `{ reply_markup: { inline_keyboard } }`. */
export function inlineKeyboard(rows: readonly (readonly CallbackButton[])[]): {
  reply_markup: { inline_keyboard: CallbackButton[][] };
} {
  return { reply_markup: { inline_keyboard: rows.map((row) => [...row]) } };
}
