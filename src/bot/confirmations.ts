import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Audience } from '../domain/deadlines/deadline.js';

/** What a confirmation button confirms. */
export type ConfirmedAction =
  | { readonly kind: 'broadcast'; readonly audience: Audience; readonly text: string }
  | { readonly kind: 'deldl'; readonly deadlineId: number };

/** How long a confirmation button works. */
export const CONFIRM_TTL_MS = 10 * 60_000;

/**
 * One-time confirmations of a risky action (a broadcast, a deadline removal): a random token per
 * request, bound to the user who asked, expiring, used at most once; 取消 invalidates it. Kept in
 * memory: after a restart every old confirmation button is simply stale.
 */
export class Confirmations<T> {
  private readonly pending = new Map<string, { userId: number; expires: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly capacity = 1_000,
  ) {}

  /** A fresh token (16 URL-safe characters, 96 random bits) for this user's pending action. */
  create(userId: number, value: T): string {
    this.sweep();
    const token = randomBytes(12).toString('base64url');
    this.pending.set(token, { userId, expires: this.clock.now() + this.ttlMs, value });
    return token;
  }

  /** The pending action, removed: null when unknown, used, cancelled, expired or someone else's. */
  take(token: string, userId: number): T | null {
    const entry = this.pending.get(token);
    if (!entry || entry.userId !== userId) return null;
    this.pending.delete(token);
    return entry.expires > this.clock.now() ? entry.value : null;
  }

  /** Invalidates a pending action; false when it was not this user's pending one. */
  cancel(token: string, userId: number): boolean {
    return this.take(token, userId) !== null;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [token, entry] of this.pending) if (entry.expires <= now) this.pending.delete(token);
    // Bounded memory: the oldest go first.
    while (this.pending.size >= this.capacity) this.pending.delete(this.pending.keys().next().value!);
  }
}
