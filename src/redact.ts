/**
 * Bot tokens out of every text that leaves the process or is stored: log lines, error messages,
 * CLI output, database columns. A token is `<bot id>:<secret>`; Bot API URLs carry it as
 * `…/bot<id>:<secret>/<method>`, and a JSON-parse error of an HTML error page repeats that URL.
 */

/** Anything shaped like a bot token (digits, a colon, 30+ URL-safe characters), also URL-encoded. */
const TOKEN_SHAPE = /\b(\d{3,})(:|%3A)[A-Za-z0-9_-]{30,}/gi;
/** The secret part of a Bot API URL path, whatever its length: `/bot<id>:<secret>/`. */
const URL_SECRET = /\/(bot|user)(\d+)(:|%3A)[^/\s"'?#]+/gi;

export const REDACTED = '[redacted]';

const known = new Set<string>();

/** Remembers a secret (the configured token) so that it is masked even where it has an odd shape. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 8) known.add(secret);
}

/** `text` with every known secret, every token-shaped string and every Bot API URL secret masked. */
export function redactText(text: string): string {
  let out = text;
  for (const secret of known) {
    if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.replaceAll(encoded, REDACTED);
  }
  return out.replace(URL_SECRET, `/$1$2:${REDACTED}`).replace(TOKEN_SHAPE, `$1:${REDACTED}`);
}

/** True when `text` still holds a secret (for assertions and defensive checks). */
export function holdsSecret(text: string): boolean {
  return redactText(text) !== text;
}

const MAX_DEPTH = 6;

/**
 * Scrubs a thrown value in place: message, stack and every string reachable through its own
 * properties (url, description, cause, response, errors, …), keeping its class so callers can
 * still tell a TelegramError or a FetchError apart. Frozen values are replaced by a plain Error
 * carrying the scrubbed message. Never throws.
 */
export function redactError<T>(err: T): T {
  try {
    return scrub(err, 0, new WeakSet()) as T;
  } catch {
    try {
      return new Error(redactText(String(err))) as T;
    } catch {
      return new Error('error (unprintable)') as T;
    }
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (seen.has(value) || !(value instanceof Error || Array.isArray(value) || isPlain(value))) return value;
  seen.add(value);
  if (Object.isFrozen(value)) {
    if (value instanceof Error) {
      const copy = new Error(redactText(value.message));
      copy.name = value.name;
      copy.stack = redactText(value.stack ?? '');
      return copy;
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = new Set<string>(Object.keys(record));
  if (value instanceof Error) for (const key of ['message', 'stack', 'cause']) keys.add(key);
  for (const key of keys) {
    let current: unknown;
    try {
      current = record[key];
    } catch {
      continue;
    }
    if (typeof current === 'function') continue;
    const next = scrub(current, depth + 1, seen);
    if (next !== current) {
      try {
        record[key] = next;
      } catch {
        // A read-only property: leave it (the message and stack of an Error are writable).
      }
    }
  }
  return value;
}
