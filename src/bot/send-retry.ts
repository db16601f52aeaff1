import type { SendLimits } from './send-options.js';
import type { Job } from './send-order.js';
import { classifyError, describeSendError, type Failure, gaveUp, isNetworkError } from './telegram-errors.js';

/** After this many 429s for one message it resolves 'gave_up' (guards against endless flood loops). */
const MAX_FLOOD_RETRIES = 10;
/** Longest backoff between two attempts. */
const MAX_BACKOFF_MS = 30_000;

/** What a failed attempt leads to, and what to log about it. */
export type AfterFailure = (
  | { readonly kind: 'outcome'; readonly outcome: Failure }
  /**
   * Telegram paused the chat for longer than the cap: the message gives up, and so do the chat's
   * queued ones (with `othersReason`) and every later one until `until`.
   */
  | {
      readonly kind: 'banned';
      readonly until: number;
      readonly outcome: Failure;
      readonly othersReason: string;
    }
  /** Sent again first once the chat, and after a 429 the whole queue, may send again. */
  | {
      readonly kind: 'retry';
      readonly chatUntil: number;
      readonly allUntil?: number;
      readonly urgent: boolean;
    }
) & { readonly log?: { readonly level: 'warn' | 'debug'; readonly obj: object; readonly msg: string } };

/**
 * Decides what a failed attempt of `job` leads to, at monotonic time `t`: a 429 pauses the chat
 * and the whole queue for `retry_after` (above the cap: the chat gives up), 5xx and network
 * errors are retried after an exponential backoff with jitter, anything else is the outcome.
 * Counts the attempt on `job`. While shutting down nothing is retried.
 */
export function afterFailure(
  job: Job,
  error: unknown,
  t: number,
  limits: SendLimits,
  closed: boolean,
  random: () => number = Math.random,
): AfterFailure {
  const verdict = classifyError(error);
  const log = { chatId: job.msg.chatId, attempt: job.attempts + job.floods + 1 };
  if (verdict.kind === 'retry_after') {
    job.floods++;
    const waitMs = verdict.seconds * 1000;
    if (waitMs > limits.maxRetryAfterMs) {
      return {
        kind: 'banned',
        until: t + waitMs,
        outcome: gaveUp(`Telegram asked to retry after ${verdict.seconds} s (above the cap)`),
        othersReason: `retry_after ${verdict.seconds} s exceeds the ${limits.maxRetryAfterMs / 1000} s cap`,
        log: {
          level: 'warn',
          obj: { ...log, retryAfter: verdict.seconds },
          msg: 'send queue: chat flood-limited beyond the cap',
        },
      };
    }
    if (closed || job.floods > MAX_FLOOD_RETRIES) {
      const reason = closed ? 'shutting down' : `still flood-limited after ${job.floods} retries`;
      return { kind: 'outcome', outcome: gaveUp(reason) };
    }
    return {
      kind: 'retry',
      chatUntil: t + waitMs,
      allUntil: t + waitMs,
      urgent: true,
      log: {
        level: 'warn',
        obj: { ...log, retryAfter: verdict.seconds },
        msg: 'send queue: 429, pausing every send',
      },
    };
  }
  if (verdict.kind !== 'transient') return { kind: 'outcome', outcome: verdict };
  job.attempts++;
  const reason = describeSendError(error);
  if (closed) return { kind: 'outcome', outcome: gaveUp('shutting down') };
  if (job.attempts >= limits.maxAttempts) {
    return {
      kind: 'outcome',
      outcome: gaveUp(`${reason} (after ${job.attempts} attempts)`),
      log: { level: 'warn', obj: { ...log, error: reason }, msg: 'send queue: giving up after retries' },
    };
  }
  const nominal = Math.min(MAX_BACKOFF_MS, limits.backoffBaseMs * 2 ** (job.attempts - 1));
  const delayMs = nominal / 2 + (random() * nominal) / 2;
  return {
    kind: 'retry',
    chatUntil: t + delayMs,
    urgent: job.urgent,
    log: {
      level: 'debug',
      obj: { ...log, error: reason, network: isNetworkError(error), delayMs: Math.round(delayMs) },
      msg: 'send queue: transient failure, retrying',
    },
  };
}
