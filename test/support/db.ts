import { openDatabase } from '../../src/db/client.js';
import { seedFromFiles } from '../../src/db/seed.js';
import { DATA_DIR } from './paths.js';

/** A private in-memory database with the real migrations and the real seed. */
export function seededMemoryDb() {
  const db = openDatabase(':memory:');
  seedFromFiles(db, DATA_DIR);
  return db;
}
