import { AnswerService } from './app/answer-service.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './db/client.js';
import { RosterStore } from './db/roster-store.js';
import { applySeed } from './db/seed.js';
import { readSeedData } from './db/seed-files.js';
import type { Logger } from './logger.js';

/** What every entry point (bot, console, CLI) shares: the migrated, seeded database and stores. */
export interface Runtime {
  readonly db: Db;
  readonly roster: RosterStore;
  readonly answers: AnswerService;
  close(): void;
}

/** Opens the database, applies migrations and the idempotent seed from data/. */
export function openRuntime(config: Config, logger: Logger): Runtime {
  const db = openDatabase(config.databasePath);
  const report = applySeed(db, readSeedData(config.dataDir));
  if (report.units || report.prefectures || report.contacts) logger.info({ seeded: report }, 'roster seeded');
  const roster = new RosterStore(db);
  let closed = false;
  return {
    db,
    roster,
    answers: new AnswerService(roster),
    close() {
      if (closed) return;
      closed = true;
      db.$client.close();
    },
  };
}
