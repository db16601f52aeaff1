import { openDatabase } from '../../src/db/client.js';
import { applySeed } from '../../src/db/seed.js';
import { readSeedData } from '../../src/db/seed-files.js';
import { DATA_DIR } from './paths.js';

/** A private in-memory database with the real migrations and the real seed. */
export function seededMemoryDb() {
  const db = openDatabase(':memory:');
  applySeed(db, readSeedData(DATA_DIR));
  return db;
}
