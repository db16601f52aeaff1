import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** The committed SQL migrations; the build copies them beside the compiled code (dist/db/migrations). */
export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/** DATABASE_PATH cannot be used: one line for the operator, no stack trace. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`DATABASE_PATH ${path}: ${reason}`);
  }
}

const reasonOf = (err: unknown): string => {
  const e = err as NodeJS.ErrnoException & { code?: string };
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the bot user must be able to write the file and its folder)';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is a file, not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'SQLITE_NOTADB':
      return 'the file exists but is not an SQLite database';
    case 'SQLITE_CANTOPEN':
      return 'cannot open the file (check that the folder exists and is writable)';
    case 'SQLITE_READONLY':
      return 'the database is read-only (check the permissions of the file and its folder)';
    case 'SQLITE_CORRUPT':
      return 'the database file is corrupt (restore a backup)';
    default:
      return err instanceof Error ? err.message : String(err);
  }
};

/**
 * Opens (creating if needed) the SQLite database and applies the committed migrations.
 * WAL, foreign keys on, 5 s busy timeout. ':memory:' gives a private in-memory database.
 * An unusable path throws DatabaseOpenError with the reason in plain words.
 */
export function openDatabase(path: string): Db {
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
        throw new DatabaseOpenError(path, 'it is a folder; give the path of a file such as data/bot.db');
    }
    sqlite = new Database(path);
    // The busy timeout first: switching to WAL and migrating may meet another process starting.
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    const db = drizzle(sqlite, { schema }) as Db;
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    return db;
  } catch (err) {
    sqlite?.close();
    if (err instanceof DatabaseOpenError) throw err;
    const cause = (err as { cause?: unknown }).cause ?? err;
    throw new DatabaseOpenError(path, reasonOf((cause as { code?: string }).code ? cause : err));
  }
}

export interface BackupResult {
  readonly file: string;
  readonly bytes: number;
  readonly pages: number;
  readonly integrity: 'ok';
}

/**
 * Copies the database at `source` to `dest` with SQLite's online backup API: consistent even while
 * the bot writes (WAL included), without stopping it. The copy is written beside `dest`, checked
 * with `PRAGMA integrity_check`, and only then renamed into place; an existing `dest` is refused.
 */
export async function backupDatabase(source: string, dest: string): Promise<BackupResult> {
  if (statSync(dest, { throwIfNoEntry: false }))
    throw new Error(`${dest} already exists; choose a new file name`);
  if (!statSync(source, { throwIfNoEntry: false })?.isFile())
    throw new DatabaseOpenError(source, 'no database file there (has the bot ever started?)');
  let db: Database.Database;
  try {
    db = new Database(source, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new DatabaseOpenError(source, reasonOf(err));
  }
  const tmp = `${dest}.partial`;
  try {
    mkdirSync(dirname(dest), { recursive: true });
    // All remaining pages in one step: one read transaction, so a writer in another process (the
    // running bot) cannot make SQLite restart the copy over and over.
    const progress = await db.backup(tmp, { progress: () => 0x7fffffff });
    const copy = new Database(tmp, { readonly: true, fileMustExist: true });
    let integrity: string;
    try {
      integrity = String(copy.pragma('integrity_check', { simple: true }));
    } finally {
      copy.close();
    }
    if (integrity !== 'ok') throw new Error(`the copy failed its integrity check: ${integrity}`);
    renameSync(tmp, dest);
    return { file: dest, bytes: statSync(dest).size, pages: progress.totalPages, integrity: 'ok' };
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  } finally {
    db.close();
  }
}
