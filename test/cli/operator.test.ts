import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, cliProcess } from '../support/cli.js';
import { CN_HEADER, csvText, seededDbFile, sha256 } from '../support/roster-files.js';
import { tempDir } from '../support/tmp.js';

/** The operator CLI as an operator types it: exit codes, --json, files relative to their folder. */

const processTz = process.env.TZ;
afterEach(() => {
  if (processTz === undefined) delete process.env.TZ;
  else process.env.TZ = processTz;
});

describe('deadlines', () => {
  it('a date-only --due is 23:59 of that day in BOT_TIMEZONE, also when the process runs in TZ=UTC', async () => {
    process.env.TZ = 'UTC';
    const db = join(tempDir(), 'bot.db');
    const env = { DATABASE_PATH: db, TZ: 'UTC' };
    const added = await cli(['deadlines', 'add', '--title', '年度总结', '--due', '2030-12-15', '--json'], {
      env,
    });
    expect(added.stderr).toBe('');
    expect(added.status).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ title: '年度总结', due: '2030-12-15T23:59:00+08:00' });
    // The day-of reminder fires at 09:00 Beijing time on the 15th (01:00 UTC), not on the 14th.
    const plan = await cli(
      ['reminders', 'plan', '--from', '2030-12-15T00:00', '--to', '2030-12-16T00:00', '--json'],
      { env },
    );
    expect(plan.status).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual([]); // no group is bound: nothing to send to
    const listed = await cli(['deadlines', 'list'], { env });
    expect(listed.stdout).toMatch(/#\d+\t2030-12-15 23:59\t年度总结/);
    const utc = await cli(['deadlines', 'list', '--json'], { env: { ...env, BOT_TIMEZONE: 'UTC' } });
    expect(JSON.parse(utc.stdout).find((d: { title: string }) => d.title === '年度总结').due).toBe(
      '2030-12-15T15:59:00Z',
    );
  });

  it('edit changes only the fields given; remove deletes; both audited; a missing id exits 1', async () => {
    const env = { DATABASE_PATH: join(tempDir(), 'bot.db') };
    const added = await cli(
      [
        'deadlines',
        'add',
        '--title',
        '中期报告',
        '--due',
        '2030-06-30T17:00',
        '--audience',
        'city:兰州',
        '--json',
      ],
      { env },
    );
    const { id } = JSON.parse(added.stdout) as { id: number };
    const edited = await cli(
      ['deadlines', 'edit', String(id), '--due', '2030-07-10', '--offsets', '3d,0d', '--json'],
      {
        env,
      },
    );
    expect(edited.stderr).toBe('');
    expect(JSON.parse(edited.stdout)).toMatchObject({
      id,
      title: '中期报告',
      due: '2030-07-10T23:59:00+08:00',
      offsets: ['3d', '0d'],
      audience: { kind: 'prefecture', prefecture: '兰州市' },
    });
    const nothing = await cli(['deadlines', 'edit', String(id)], { env });
    expect(nothing.status).toBe(2);
    expect(nothing.stderr).toContain('nothing to change');

    const removed = await cli(['deadlines', 'remove', String(id)], { env });
    expect(removed.status).toBe(0);
    expect(removed.stdout).toBe(`removed deadline #${id} "中期报告" (was due 2030-07-10 23:59)\n`);
    const again = await cli(['deadlines', 'remove', String(id), '--json'], { env });
    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(`error: no deadline #${id} (see deadlines list)\n`);
    const audit = JSON.parse((await cli(['audit', 'list', '--json'], { env })).stdout) as {
      action: string;
    }[];
    expect(audit.slice(0, 3).map((e) => e.action)).toEqual([
      'deadline.remove',
      'deadline.edit',
      'deadline.add',
    ]);
  });
});

describe('exit codes and errors', () => {
  it('2 for usage errors (unknown command or option, bad value, invalid setting); 0 for help', async () => {
    expect((await cli(['frobnicate'])).status).toBe(2);
    expect((await cli(['deadlines', 'list', '--jsn'])).status).toBe(2);
    expect((await cli(['deadlines', 'add', '--title', 'x', '--due', 'soon'])).status).toBe(2);
    const badTz = await cli(['deadlines', 'list'], { env: { BOT_TIMEZONE: 'Mars/Olympus' } });
    expect(badTz.status).toBe(2);
    expect(badTz.stderr).toContain('BOT_TIMEZONE must be an IANA time zone');
    const help = await cli(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('backup');
  });

  it('an unusable DATABASE_PATH: exit 1, one plain line naming the path and the reason', async () => {
    const dir = tempDir();
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'not a database\n'.repeat(100));
    const cases: [string, string][] = [
      [dir, 'it is a folder'],
      [notDb, 'not an SQLite database'],
      [join(notDb, 'bot.db'), 'a part of the path is a file'],
    ];
    for (const [path, reason] of cases) {
      const r = await cli(['deadlines', 'list'], { env: { DATABASE_PATH: path } });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`error: DATABASE_PATH ${path}: ${r.stderr.split(': ').slice(2).join(': ')}`);
      expect(r.stderr).toContain(reason);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('paths resolve against the caller’s folder (INIT_CWD under npm)', () => {
  it('roster export --out and roster import FILE', async () => {
    const caller = tempDir();
    const env = { DATABASE_PATH: seededDbFile(), INIT_CWD: caller };
    const out = await cli(['roster', 'export', '--out', 'roster.csv', '--json'], { env });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ out: join(caller, 'roster.csv'), format: 'csv', units: 77 });
    expect(existsSync(join(caller, 'roster.csv'))).toBe(true);
    const back = await cli(['roster', 'import', 'roster.csv'], { env });
    expect(back.stdout).toBe('read roster.csv: CSV, UTF-8 with BOM, 77 data rows\nno changes\n');
  });
});

describe('roster import of a partial file', () => {
  it('adds and changes only; the dry run says what stays; --prune removes what the file leaves out', async () => {
    const db = seededDbFile();
    const caller = tempDir();
    writeFileSync(
      join(caller, 'new.csv'),
      csvText(CN_HEADER, [['甘肃省', '兰州市', '兰州市第一中学', '学校', '城关区', '', '']]),
    );
    const env = { DATABASE_PATH: db, INIT_CWD: caller };
    const dry = await cli(['roster', 'import', 'new.csv'], { env });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('甘肃省: units 77 → 78 (+1 ~0 -0, 0 unchanged)');
    expect(dry.stdout).toContain(
      'kept: 77 units and 12 cities of 甘肃省 are not in the file and stay (--prune removes them)',
    );
    const hash = sha256(db);
    const pruneDry = await cli(['roster', 'import', 'new.csv', '--prune', '--json'], { env });
    expect(JSON.parse(pruneDry.stdout).diff.totals).toMatchObject({
      addedUnits: 1,
      removedUnits: 77,
      keptUnits: 0,
    });
    expect(sha256(db)).toBe(hash);

    const applied = await cli(['roster', 'import', 'new.csv', '--apply', '--json'], { env });
    expect(JSON.parse(applied.stdout)).toMatchObject({
      applied: true,
      diff: { totals: { removedUnits: 0 } },
    });
    const count = new Database(db, { readonly: true });
    try {
      expect(count.prepare('select count(*) as n from units').get()).toEqual({ n: 78 });
    } finally {
      count.close();
    }
  });
});

describe('backup', () => {
  it('writes a verified copy; refuses to overwrite; needs an existing database', async () => {
    const db = seededDbFile();
    const caller = tempDir();
    const env = { DATABASE_PATH: db, INIT_CWD: caller };
    const r = await cli(['backup', 'copy.db', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: join(caller, 'copy.db'), integrity: 'ok' });
    const copy = new Database(join(caller, 'copy.db'), { readonly: true });
    try {
      expect(copy.prepare('select count(*) as n from units').get()).toEqual({ n: 77 });
    } finally {
      copy.close();
    }
    const twice = await cli(['backup', 'copy.db'], { env });
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('already exists');
    mkdirSync(join(caller, 'empty'));
    const none = await cli(['backup', 'x.db'], { env: { DATABASE_PATH: join(caller, 'empty', 'bot.db') } });
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no database file there');
  });
});

describe('whole process (npm run -s cli, the compiled CLI)', () => {
  it('ask --json prints only JSON on stdout; TZ=UTC changes no time', () => {
    const r = cliProcess(['ask', '--json'], { input: '民主西路小学是试点吗\n你好\n', env: { TZ: 'UTC' } });
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l).intent)).toEqual(['membership', 'greeting']);
    const add = cliProcess(['deadlines', 'add', '--title', 't', '--due', '2030-01-31', '--json'], {
      env: { TZ: 'UTC' },
    });
    expect(add.status).toBe(0);
    expect(JSON.parse(add.stdout).due).toBe('2030-01-31T23:59:00+08:00');
  });

  it('a usage error exits 2 with the message on stderr', () => {
    const r = cliProcess(['ask', '--jsn', 'x']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--jsn'");
  });
});
