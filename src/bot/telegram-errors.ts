/**
 * What a failed Bot API call means for the message it carried: wait and retry (429), retry with
 * backoff (5xx, network), or an outcome for the caller (forbidden, chat not found, migrated,
 * refused, given up). Used by the send queue and the metrics.
 */
import type { SendOutcome } from '../app/notifier.js';
import { redactText } from '../redact.js';
import { TelegramTimeoutError } from './telegram-guard.js';

/** A message's outcome when it was not sent. */
export type Failure = Exclude<SendOutcome, { ok: true }>;

export type Verdict = { kind: 'retry_after'; seconds: number } | { kind: 'transient' } | Failure;

export const gaveUp = (description: string): Failure => ({ ok: false, kind: 'gave_up', description });

/** Node / undici / node-fetch error codes meaning the request never got a usable answer. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** A short, token-free description of any thrown value (no stack), with its error code. */
export function describeSendError(err: unknown): string {
  if (err instanceof Error) {
    const code = field(err, 'code');
    const text =
      typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
    return redactText(text);
  }
  return redactText(String(err));
}

/** True for errors that mean "no answer from the server" (kept for logs; all such errors are transient). */
export function isNetworkError(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = field(e, 'cause'), depth++) {
    const code = field(e, 'code');
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return true;
    const name = field(e, 'name');
    if (name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError') return true;
    const message = field(e, 'message');
    if (typeof message === 'string' && /socket hang up|fetch failed|network/i.test(message)) return true;
  }
  return false;
}

/**
 * Classifies an error thrown by telegraf (TelegramError: numeric `.code`, `.description`,
 * `.parameters`) or by the network:
 * - 429 → `retry_after` with the seconds from `parameters.retry_after` (or the description);
 * - 5xx, network errors (no response, ECONNRESET, socket hang up, fetch failures, timeouts) and
 *   anything unrecognised → `transient` (bounded retries, so nothing is declared permanently
 *   undeliverable on a guess);
 * - 401 (token rejected, e.g. after a rotation) and 404 (no such bot) → `gave_up` at once: not
 *   the chat's fault, nothing to retry now, the next tick sends once the token works;
 * - no answer within the per-request deadline ({@link TelegramTimeoutError}) → `gave_up` at once,
 *   so a chat whose requests hang costs one deadline per tick, not five;
 * - 400 with `parameters.migrate_to_chat_id` → `migrated`; 403 and 400 "not enough rights" /
 *   "have no rights" → `forbidden`; 400 "chat not found" → `chat_not_found`; any other 4xx →
 *   `bad_request` (the message itself was refused).
 */
export function classifyError(err: unknown): Verdict {
  if (err instanceof TelegramTimeoutError) return gaveUp(err.message);
  const response = field(err, 'response');
  const rawCode = field(err, 'code') ?? field(response, 'error_code');
  if (typeof rawCode !== 'number') return { kind: 'transient' };
  const code = rawCode;
  const rawDescription = field(err, 'description') ?? field(response, 'description');
  const description = typeof rawDescription === 'string' ? rawDescription : describeSendError(err);
  const parameters = field(err, 'parameters') ?? field(response, 'parameters');
  if (code === 429) {
    const retryAfter = field(parameters, 'retry_after');
    const seconds =
      typeof retryAfter === 'number' ? retryAfter : Number(/retry after (\d+)/i.exec(description)?.[1]);
    return Number.isFinite(seconds) && seconds >= 0
      ? { kind: 'retry_after', seconds }
      : { kind: 'transient' };
  }
  if (code >= 500 || code < 400) return { kind: 'transient' };
  if (code === 401 || code === 404) return gaveUp(`BOT_TOKEN was rejected by Telegram (${code})`);
  const migrateTo = field(parameters, 'migrate_to_chat_id');
  if (typeof migrateTo === 'number') return { ok: false, kind: 'migrated', toChatId: migrateTo, description };
  if (code === 403 || /not enough rights|have no rights|CHAT_WRITE_FORBIDDEN/i.test(description)) {
    return { ok: false, kind: 'forbidden', description };
  }
  if (code === 400 && /chat not found/i.test(description)) {
    return { ok: false, kind: 'chat_not_found', description };
  }
  return { ok: false, kind: 'bad_request', description };
}
