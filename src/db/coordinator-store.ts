import { asc, eq } from 'drizzle-orm';
import type { Db } from './client.js';
import { coordinators } from './schema.js';

export interface CityCoordinator {
  readonly userId: number;
  readonly prefecture: string;
  readonly grantedBy: number;
  readonly grantedAt: number;
}

/** City coordinators (one prefecture each), granted and revoked by provincial admins. */
export class CoordinatorStore {
  constructor(private readonly db: Db) {}

  all(): CityCoordinator[] {
    return this.db
      .select()
      .from(coordinators)
      .orderBy(asc(coordinators.prefecture), asc(coordinators.userId))
      .all();
  }

  get(userId: number): CityCoordinator | null {
    return this.db.select().from(coordinators).where(eq(coordinators.userId, userId)).get() ?? null;
  }

  /** Grants (or moves) a city coordinator; returns the previous grant. */
  grant(c: CityCoordinator, tx: Pick<Db, 'insert' | 'select'> = this.db): CityCoordinator | null {
    const previous = tx.select().from(coordinators).where(eq(coordinators.userId, c.userId)).get() ?? null;
    tx.insert(coordinators)
      .values(c)
      .onConflictDoUpdate({
        target: coordinators.userId,
        set: { prefecture: c.prefecture, grantedBy: c.grantedBy, grantedAt: c.grantedAt },
      })
      .run();
    return previous;
  }

  /** Revokes; returns the removed grant, or null when there was none. */
  revoke(userId: number, tx: Pick<Db, 'delete'> = this.db): CityCoordinator | null {
    return tx.delete(coordinators).where(eq(coordinators.userId, userId)).returning().get() ?? null;
  }
}
