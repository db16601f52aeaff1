import { AnswerService } from './app/answer-service.js';
import { DeadlineView } from './app/deadline-view.js';
import type { AppPorts } from './app/ports.js';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type Db, openDatabase } from './db/client.js';
import { sqlitePorts } from './db/ports.js';
import { seedFromFiles } from './db/seed.js';
import type { Logger } from './logger.js';

/** What every entry point (bot, console, CLI) shares: the migrated, seeded database and its ports. */
export interface Runtime {
  readonly db: Db;
  /** The app's ports over `db`. */
  readonly ports: AppPorts;
  readonly deadlineView: DeadlineView;
  readonly answers: AnswerService;
  /** The time every use case and store reads. */
  readonly clock: Clock;
  close(): void;
}

/** Opens the database, applies migrations and the idempotent seed from data/. */
export function openRuntime(config: Config, logger: Logger, clock: Clock = systemClock): Runtime {
  const db = openDatabase(config.databasePath, config.busyTimeoutMs);
  const report = seedFromFiles(db, config.dataDir);
  if (report && Object.values(report).some(Boolean)) logger.info({ seeded: report }, 'roster seeded');
  return runtimeOver(db, config.timeZone, clock);
}

/** The ports and services over an open, migrated database. */
export function runtimeOver(db: Db, timeZone: string, clock: Clock = systemClock): Runtime {
  const ports = sqlitePorts(db, clock);
  const deadlineView = new DeadlineView(ports.deadlines, ports.roster, timeZone);
  let closed = false;
  return {
    db,
    ports,
    deadlineView,
    answers: new AnswerService(ports.roster, deadlineView, clock),
    clock,
    close() {
      if (closed) return;
      closed = true;
      db.$client.close();
    },
  };
}
