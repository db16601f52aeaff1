import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { cli } from '../support/cli.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

/**
 * `backup FILE` while another process keeps writing to the database (WAL mode, as the bot does):
 * every copy is consistent (each writer transaction is wholly in or wholly out) and passes the
 * integrity check.
 */

const WRITER = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
db.exec('create table if not exists pairs (batch integer not null, side integer not null, pad text not null)');
const insert = db.prepare('insert into pairs (batch, side, pad) values (?, ?, ?)');
const pair = db.transaction((n) => { insert.run(n, 0, 'x'.repeat(2000)); insert.run(n, 1, 'y'.repeat(2000)); });
let n = 0;
const until = Date.now() + Number(process.argv[2]);
process.stdout.write('ready\\n');
while (Date.now() < until) pair(n++);
process.stdout.write(String(n) + '\\n');
`;

describe('backup of a live database', () => {
  it('copies consistently while another process writes, and verifies each copy', async () => {
    const dir = tempDir();
    const path = join(dir, 'bot.db');
    openDatabase(path).$client.close(); // migrated, as the bot leaves it
    const writer = spawn(process.execPath, ['-e', WRITER, path, '2500'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    writer.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const done = new Promise<number | null>((resolve) => writer.on('close', resolve));
    while (!out.includes('ready')) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 300));

    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const file = join(dir, `backup-${i}.db`);
      const r = await cli(['backup', file, '--json'], { env: { DATABASE_PATH: path } });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ file, integrity: 'ok' });
      const copy = new Database(file, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = copy.prepare('select batch, count(*) as n from pairs group by batch').all() as {
          n: number;
        }[];
        expect(rows.every((row) => row.n === 2)).toBe(true);
        counts.push(rows.length);
        // The migrations came along: the copy is a database the bot can start on.
        expect(copy.prepare("select count(*) as n from sqlite_master where name = 'units'").get()).toEqual({
          n: 1,
        });
      } finally {
        copy.close();
      }
    }
    expect(writer.exitCode).toBeNull(); // still writing: the copies were taken from a live database
    expect(await done).toBe(0);
    const written = Number(out.trim().split('\n').at(-1));
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts.every((c, i) => c <= written && (i === 0 || c >= counts[i - 1]!))).toBe(true);
  });
});
