/**
 * What the use cases need from Telegram: send one message and learn its outcome. The bot's
 * SendQueue implements it (paced, retried); tests can pass a fake.
 */

export interface OutgoingMessage {
  readonly chatId: number;
  readonly threadId?: number;
  readonly text: string;
  readonly replyMarkup?: { inline_keyboard: { text: string; callback_data: string }[][] };
}

export type SendOutcome =
  | { readonly ok: true; readonly messageId: number }
  | { readonly ok: false; readonly kind: 'forbidden' | 'chat_not_found'; readonly description: string }
  | { readonly ok: false; readonly kind: 'migrated'; readonly toChatId: number; readonly description: string }
  | { readonly ok: false; readonly kind: 'bad_request'; readonly description: string }
  | { readonly ok: false; readonly kind: 'gave_up'; readonly description: string };

export interface Notifier {
  enqueue(msg: OutgoingMessage): Promise<SendOutcome>;
}
