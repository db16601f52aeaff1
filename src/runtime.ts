import { AnswerService } from './app/answer-service.js';
import { DeadlineView } from './app/deadline-view.js';
import type { Config } from './config.js';
import { BindingStore } from './db/binding-store.js';
import { type Db, openDatabase } from './db/client.js';
import { DeadlineStore } from './db/deadline-store.js';
import { DeliveryStore } from './db/delivery-store.js';
import { RosterStore } from './db/roster-store.js';
import { applySeed } from './db/seed.js';
import { readSeedData } from './db/seed-files.js';
import type { Logger } from './logger.js';

/** What every entry point (bot, console, CLI) shares: the migrated, seeded database and stores. */
export interface Runtime {
  readonly db: Db;
  readonly roster: RosterStore;
  readonly deadlines: DeadlineStore;
  readonly bindings: BindingStore;
  readonly deliveries: DeliveryStore;
  readonly deadlineView: DeadlineView;
  readonly answers: AnswerService;
  close(): void;
}

/** Opens the database, applies migrations and the idempotent seed from data/. */
export function openRuntime(config: Config, logger: Logger): Runtime {
  const db = openDatabase(config.databasePath, config.busyTimeoutMs);
  const report = applySeed(db, readSeedData(config.dataDir));
  if (Object.values(report).some(Boolean)) logger.info({ seeded: report }, 'roster seeded');
  return runtimeOver(db, config.timeZone);
}

/** The stores and services over an open, migrated database. */
export function runtimeOver(db: Db, timeZone: string): Runtime {
  const roster = new RosterStore(db);
  const deadlines = new DeadlineStore(db);
  const deadlineView = new DeadlineView(deadlines, roster, timeZone);
  let closed = false;
  return {
    db,
    roster,
    deadlines,
    bindings: new BindingStore(db),
    deliveries: new DeliveryStore(db),
    deadlineView,
    answers: new AnswerService(roster, deadlineView),
    close() {
      if (closed) return;
      closed = true;
      db.$client.close();
    },
  };
}
