import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest webhook body accepted; Telegram's updates are a few KB. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** Server time-outs for the webhook: slow or stalled clients are cut off quickly. */
export const WEBHOOK_SERVER_OPTIONS = {
  /** The whole request (headers and body) must arrive within this. */
  requestTimeout: 10_000,
  headersTimeout: 5_000,
  /** How often Node checks the two time-outs above (its default is 30 s). */
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 16 * 1024,
} as const;

/** True when the request carries the webhook's secret (constant-time comparison). */
export function hasSecret(req: IncomingMessage, secret: string | undefined): boolean {
  if (!secret) return true;
  const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function refuse(res: ServerResponse, status: number, req: IncomingMessage): null {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(status === 413 ? 'payload too large' : 'bad request');
  // The rest of the body is discarded unread (no memory); the request time-out bounds how long
  // a client may keep sending, and the connection closes after it.
  req.resume();
  return null;
}

/**
 * Reads a webhook body of at most `limit` bytes and parses it as an update. Answers 413 (too
 * large, by Content-Length before reading, or while streaming) or 400 (not JSON, or JSON that is
 * not an update object with an integer update_id) itself and returns null; never throws.
 */
export async function readUpdate(
  req: IncomingMessage,
  res: ServerResponse,
  limit = MAX_WEBHOOK_BODY_BYTES,
): Promise<object | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return refuse(res, 413, req);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) return refuse(res, 413, req);
      chunks.push(chunk);
    }
  } catch {
    return refuse(res, 400, req);
  }
  let update: unknown;
  try {
    update = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return refuse(res, 400, req);
  }
  const id = (update as { update_id?: unknown } | null)?.update_id;
  if (typeof update !== 'object' || update === null || Array.isArray(update) || !Number.isSafeInteger(id))
    return refuse(res, 400, req);
  return update;
}
