import { asc, eq } from 'drizzle-orm';
import type { CityCoordinator, CoordinatorsPort } from '../app/ports.js';
import type { Db } from './client.js';
import { coordinators } from './schema.js';

/** City coordinators (one prefecture each), granted and revoked by provincial admins. */
export class CoordinatorStore implements CoordinatorsPort {
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
  grant(c: CityCoordinator): CityCoordinator | null {
    const previous =
      this.db.select().from(coordinators).where(eq(coordinators.userId, c.userId)).get() ?? null;
    this.db
      .insert(coordinators)
      .values(c)
      .onConflictDoUpdate({
        target: coordinators.userId,
        set: { prefecture: c.prefecture, grantedBy: c.grantedBy, grantedAt: c.grantedAt },
      })
      .run();
    return previous;
  }

  /** Revokes; returns the removed grant, or null when there was none. */
  revoke(userId: number): CityCoordinator | null {
    return this.db.delete(coordinators).where(eq(coordinators.userId, userId)).returning().get() ?? null;
  }
}
