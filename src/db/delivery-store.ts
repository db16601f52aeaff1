import { and, eq, inArray } from 'drizzle-orm';
import type { ClaimItem, DeliveryLogPort } from '../app/ports.js';
import { deliveryKey } from '../domain/deadlines/planner.js';
import { redactText } from '../redact.js';
import type { Db } from './client.js';
import { deliveries } from './schema.js';

/** The delivery log: claim before sending, complete after; the unique key forbids doubles. */
export class DeliveryStore implements DeliveryLogPort {
  constructor(private readonly db: Db) {}

  /** Keys of deliveries sent or in flight (what the planner must not plan again). */
  deliveredKeys(): Set<string> {
    const rows = this.db
      .select({
        deadlineId: deliveries.deadlineId,
        occurrence: deliveries.occurrence,
        chatId: deliveries.chatId,
        threadId: deliveries.threadId,
      })
      .from(deliveries)
      .all();
    return new Set(rows.map((r) => deliveryKey(r.deadlineId, r.occurrence, r.chatId, r.threadId)));
  }

  /**
   * Claims the items in one transaction; returns, aligned with `items`, the id of each claim
   * this call made, or undefined for an item already claimed or sent by someone else.
   */
  claimEach(items: readonly ClaimItem[], at: number): (number | undefined)[] {
    return this.db.transaction((tx) =>
      items.map(
        (item) =>
          tx
            .insert(deliveries)
            .values({ ...item, status: 'claimed', claimedAt: at })
            .onConflictDoNothing()
            .returning({ id: deliveries.id })
            .get()?.id,
      ),
    );
  }

  complete(ids: readonly number[], messageId: number, at: number): void {
    if (!ids.length) return;
    this.db
      .update(deliveries)
      .set({ status: 'sent', sentAt: at, messageId })
      .where(inArray(deliveries.id, [...ids]))
      .run();
  }

  /** A permanent failure: recorded, and not retried for that chat. */
  fail(ids: readonly number[], error: string): void {
    if (!ids.length) return;
    this.db
      .update(deliveries)
      .set({ status: 'failed', error: redactText(error) })
      .where(inArray(deliveries.id, [...ids]))
      .run();
  }

  /** Gives claims back (a transient failure): the next tick plans them again. */
  release(ids: readonly number[]): void {
    if (!ids.length) return;
    this.db
      .delete(deliveries)
      .where(and(inArray(deliveries.id, [...ids]), eq(deliveries.status, 'claimed')))
      .run();
  }

  /**
   * Claims left by a process that died mid-send: given back so they are planned again. Only
   * call while no other process is sending (the instance lock guarantees it).
   */
  releaseStaleClaims(): number {
    return this.db.delete(deliveries).where(eq(deliveries.status, 'claimed')).run().changes;
  }
}
