/**
 * The redaction and timeout boundary around the Telegram client. Every Bot API call of a guarded
 * `Telegram` (the bot's, each update's, the send queue's, the CLI's) goes through `callApi`, so
 * wrapping it there means:
 * - every error it throws — telegraf's TelegramError, node-fetch's FetchError (an HTML error page
 *   fails JSON parsing with the full `…/bot<TOKEN>/method` URL in its message), a network error —
 *   is scrubbed of the token before any caller, logger or store sees it (its class is kept);
 * - every call has a deadline of seconds (telegraf's own is 500 s): a chat whose request never
 *   answers costs one timeout, not minutes, and the error says so (`TelegramTimeoutError`).
 */
import type { Telegram } from 'telegraf';
import { type Clock, systemClock } from '../clock.js';
import { redactError, redactText } from '../redact.js';

export interface GuardOptions {
  /** Deadline of one Bot API call (uploads: four times this); default 15 s. */
  readonly timeoutMs?: number;
  /** Deadline of one getUpdates long poll (telegraf asks Telegram to hold it 50 s); default 75 s. */
  readonly pollTimeoutMs?: number;
  /** Called as each call is handed to telegraf, before it is sent. */
  readonly onCall?: (method: string) => void;
  /** Called after each call Telegram answered successfully (health tracking). */
  readonly onSuccess?: (method: string) => void;
  /** Timers for the deadlines; default the system clock. */
  readonly clock?: Clock;
}

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;
export const DEFAULT_POLL_TIMEOUT_MS = 75_000;

/** A Bot API call that got no answer within its deadline. Transient: it may have reached Telegram. */
export class TelegramTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`Telegram did not answer ${method} within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'TimeoutError';
  }
}

type CallApi = (method: string, payload: unknown, options?: { signal?: unknown }) => Promise<unknown>;
interface AbortLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

const GUARDED = Symbol('kczm.guarded');
const UPLOADS = new Set(['sendDocument', 'sendPhoto']);
const UPLOAD_FACTOR = 4;

/** Calls an observer of the boundary; its throw never fails the call it observes. */
function observe(hook: ((method: string) => void) | undefined, method: string): void {
  try {
    hook?.(method);
  } catch {
    // Observers (health, metrics, start-up) are not the call.
  }
}

/** Wraps `telegram.callApi` (idempotent per instance); returns the same instance. */
export function guardTelegram(telegram: Telegram, opts: GuardOptions = {}): Telegram {
  const marked = telegram as Telegram & { [GUARDED]?: true };
  if (marked[GUARDED]) return telegram;
  const original = telegram.callApi.bind(telegram) as unknown as CallApi;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const pollTimeoutMs = opts.pollTimeoutMs ?? DEFAULT_POLL_TIMEOUT_MS;
  const clock = opts.clock ?? systemClock;
  const guarded: CallApi = async (method, payload, options) => {
    // Uploads (an XLSX export through a slow proxy) get longer than a plain call.
    const limit =
      method === 'getUpdates' ? pollTimeoutMs : UPLOADS.has(method) ? timeoutMs * UPLOAD_FACTOR : timeoutMs;
    const outer = options?.signal as AbortLike | undefined;
    const controller = new AbortController();
    const forward = () => controller.abort();
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    observe(opts.onCall, method);
    const timer = clock.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limit);
    try {
      const result = await original(method, payload, { ...options, signal: controller.signal });
      observe(opts.onSuccess, method);
      return result;
    } catch (err) {
      if (timedOut && !outer?.aborted) throw new TelegramTimeoutError(method, limit);
      throw redactError(err);
    } finally {
      clock.clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
    }
  };
  telegram.callApi = guarded as unknown as Telegram['callApi'];
  marked[GUARDED] = true;
  return telegram;
}

/** A one-line, token-free description of any thrown value (for logs, stores, operator output). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return redactText(err.message);
  try {
    return redactText(String(err));
  } catch {
    return 'unknown error';
  }
}
