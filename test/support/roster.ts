import { RosterStore } from '../../src/db/roster-store.js';
import type { Roster } from '../../src/domain/roster.js';
import { seededMemoryDb } from './db.js';

export { DATA_DIR } from './paths.js';

/** The reviewed Gansu roster as the bot loads it: data/ seeded into SQLite, read back by the store. */
export function gansuRoster(): Roster {
  const db = seededMemoryDb();
  try {
    return new RosterStore(db).load();
  } finally {
    db.$client.close();
  }
}
