/**
 * What the use cases need from Telegram: send one message and learn its outcome. The bot's
 * SendQueue implements it (paced, retried); tests can pass a fake.
 */

/** One plain-text message to send. */
export interface OutgoingMessage {
  readonly chatId: number;
  /** Forum topic: passed as message_thread_id when > 0; otherwise the message lands in General. */
  readonly threadId?: number;
  /** Plain text within Telegram's message length (the caller's duty; longer text gets 'bad_request'). */
  readonly text: string;
  /** Inline buttons with callback data (已完成, confirmations). */
  readonly replyMarkup?: { inline_keyboard: { text: string; callback_data: string }[][] };
  /**
   * 'interactive' for an answer to someone waiting (sent before queued bulk messages); the
   * default 'bulk' for reminders, broadcasts and alerts.
   */
  readonly priority?: 'interactive' | 'bulk';
}

/** What happened to one message. Only 'gave_up' means "try again later" (e.g. on the next tick). */
export type SendOutcome =
  | { readonly ok: true; readonly messageId: number }
  /** 403 (kicked / blocked / not a member) or 400 chat not found: permanent for the chat. */
  | { readonly ok: false; readonly kind: 'forbidden' | 'chat_not_found'; readonly description: string }
  /** 400 with parameters.migrate_to_chat_id: the group became a supergroup; resend to toChatId. */
  | { readonly ok: false; readonly kind: 'migrated'; readonly toChatId: number; readonly description: string }
  /** Any other 4xx: permanent for this message (do not resend it unchanged). */
  | { readonly ok: false; readonly kind: 'bad_request'; readonly description: string }
  /** Transient failures exhausted, retry_after above the cap, or the queue shut down. */
  | { readonly ok: false; readonly kind: 'gave_up'; readonly description: string };

export interface Notifier {
  enqueue(msg: OutgoingMessage): Promise<SendOutcome>;
}

/**
 * Sends a text longer than one message as several (cut by `split`, the bot's length limit), in order; only the last part keeps the
 * buttons. Stops at the first part that fails and returns its outcome.
 */
export async function sendInParts(
  notifier: Notifier,
  split: (text: string) => string[],
  msg: OutgoingMessage,
): Promise<SendOutcome> {
  const parts = split(msg.text);
  let outcome: SendOutcome = { ok: false, kind: 'bad_request', description: 'empty message' };
  for (const [i, text] of parts.entries()) {
    const last = i === parts.length - 1;
    outcome = await notifier.enqueue({
      ...msg,
      text,
      ...(last ? {} : { replyMarkup: undefined }),
    });
    if (!outcome.ok) return outcome;
  }
  return outcome;
}
