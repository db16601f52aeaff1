import Database from 'better-sqlite3';

/**
 * Where a secret occurs: in any of the given output streams (by name) or in any text column of
 * any table of the SQLite database at `dbPath`. Empty when it occurs nowhere.
 */
export function findSecret(secret: string, outputs: Record<string, string>, dbPath?: string): string[] {
  const found: string[] = [];
  for (const [name, text] of Object.entries(outputs)) {
    if (text.includes(secret))
      found.push(
        `${name}: …${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret) + 40)}…`,
      );
  }
  if (dbPath) {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .pluck()
        .all() as string[];
      for (const table of tables) {
        const columns = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
        for (const { name } of columns) {
          // Every column, whatever its declared type: SQLite stores text in any of them.
          const hits = db
            .prepare(`SELECT count(*) FROM "${table}" WHERE instr(CAST("${name}" AS TEXT), ?) > 0`)
            .pluck()
            .get(secret) as number;
          if (hits) found.push(`${table}.${name}: ${hits} row(s)`);
        }
      }
    } finally {
      db.close();
    }
  }
  return found;
}

/** Text columns that hold anything at all, e.g. to show a failure was recorded (`bindings.last_error`). */
export function columnValues(dbPath: string, sql: string): unknown[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).pluck().all();
  } finally {
    db.close();
  }
}
