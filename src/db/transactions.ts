import type { TransactionPort } from '../app/ports.js';
import { isBusy, retryBusy } from './busy.js';
import type { Db } from './client.js';

/**
 * Transactions over the one better-sqlite3 connection: every store writes through that
 * connection, so whatever a store does inside `fn` belongs to the transaction. A nested call
 * becomes a savepoint of the outer one.
 */
export class SqliteTransactions implements TransactionPort {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T, opts: { immediate?: boolean } = {}): T {
    return this.db.transaction(() => fn(), { behavior: opts.immediate ? 'immediate' : 'deferred' });
  }

  isBusy(err: unknown): boolean {
    return isBusy(err);
  }

  persist<T>(fn: () => T, onRetry?: (attempt: number) => void): Promise<T> {
    return retryBusy(() => this.transaction(fn), {
      attempts: 8,
      ...(onRetry ? { onRetry: (attempt: number) => onRetry(attempt) } : {}),
    });
  }
}
