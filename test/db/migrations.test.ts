import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../src/db/client.js';
import { runtimeOver } from '../../src/runtime.js';
import { tempDir } from '../support/tmp.js';

/** Upgrading a database made before bindings were granted keeps what it had. */

it('keeps existing bindings valid and counts existing 已完成 marks as announced', () => {
  const dir = tempDir('kczm-migrate-');
  // The migrations as they were before 0003.
  const old = join(dir, 'old');
  cpSync(MIGRATIONS_DIR, old, { recursive: true });
  const journalPath = join(old, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < '0003');
  writeFileSync(journalPath, JSON.stringify(journal));

  const sqlite = new Database(join(dir, 'bot.db'));
  sqlite.pragma('foreign_keys = ON');
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder: old });
  sqlite.exec(`
    insert into units (id, province, prefecture, name, kind) values (1, '甘肃省', '张掖市', '张掖中学', 'school');
    insert into deadlines (id, title, due_at, audience, offsets) values (1, '总结', 1, '{"kind":"all_units"}', '["0d"]');
    insert into bindings (chat_id, kind, prefecture, unit_id, bound_by) values (-100, 'unit', '张掖市', 1, 5);
    insert into acknowledgements (deadline_id, unit_id, user_id, user_name, at) values (1, 1, 7, '王', 1234);
  `);

  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  const runtime = runtimeOver(db as never, 'Asia/Shanghai');
  expect(runtime.ports.bindings.all()).toMatchObject([
    { chatId: -100, kind: 'unit', unitId: 1, active: true },
  ]);
  expect(runtime.ports.deadlines.acknowledgements()).toMatchObject([{ unitId: 1, userId: 7, chatId: null }]);
  expect(runtime.ports.deadlines.unannounced()).toEqual([]);
  runtime.close();
});
