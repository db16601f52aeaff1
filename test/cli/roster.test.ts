import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { RosterStore } from '../../src/db/roster-store.js';
import { auditLog, units } from '../../src/db/schema.js';
import { cli } from '../support/cli.js';
import {
  CN_HEADER,
  csvText,
  gansuRows,
  gbk,
  seededDbFile,
  sha256,
  sichuanRows,
  withDbFile,
} from '../support/roster-files.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('kczm-roster-cli-');

function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Gansu with 兰州市第一中学 added, as a GBK CSV. */
const edited = () =>
  file(
    'roster.csv',
    gbk(csvText(CN_HEADER, [...gansuRows(), ['甘肃省', '兰州', '兰州市第一中学', '', '城关', '', '']])),
  );

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
};

describe('npm run cli -- roster import', () => {
  it('prints the diff and changes nothing without --apply; writes it with --apply', async () => {
    const db = seededDbFile();
    const hash = sha256(db);
    const path = edited();
    const dry = await cli(['roster', 'import', path], { env: { DATABASE_PATH: db } });
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout.split('\n')).toEqual([
      'read roster.csv: CSV, GB18030, 78 data rows',
      '甘肃省: units 77 → 78 (+1 ~0 -0, 77 unchanged); cities 13 → 13',
      '  + unit 兰州市第一中学 (row 79): 兰州市, 城关区, school',
      'total: units +1 ~0 -0; cities +0 ~0 -0',
      'dry run: nothing was changed; run again with --apply to write these changes',
      '',
    ]);
    expect(sha256(db)).toBe(hash);

    const applied = await cli(['roster', 'import', path, '--apply'], { env: { DATABASE_PATH: db } });
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    expect(applied.stdout).toMatch(/applied: roster version is now \d+; audit entry recorded/);
    await withDbFile(db, (conn) => {
      expect(conn.select().from(units).where(eq(units.name, '兰州市第一中学')).get()).toMatchObject({
        prefecture: '兰州市',
        county: '城关区',
      });
      expect(conn.select().from(auditLog).all().at(-1)).toMatchObject({
        channel: 'cli',
        action: 'roster.import',
        subject: 'roster.csv (甘肃省)',
      });
      expect(new RosterStore(conn).version()).toBe(2);
    });
  });

  it('--json: one object {ok, errors, diff, applied}; a 1,200-row 四川省 file, timed', async () => {
    const db = seededDbFile();
    const path = file('sichuan.csv', gbk(csvText(CN_HEADER, sichuanRows(1200))));
    const [dry, dryMs] = await timed(() =>
      cli(['roster', 'import', path, '--json'], { env: { DATABASE_PATH: db } }),
    );
    expect(dry.status).toBe(0);
    const out = JSON.parse(dry.stdout);
    expect(Object.keys(out)).toEqual(['ok', 'errors', 'diff', 'applied']);
    expect(out).toMatchObject({ ok: true, errors: [], applied: false });
    expect(out.diff.totals).toMatchObject({ addedUnits: 1200, addedCities: 21, removedUnits: 0 });
    const [applied, applyMs] = await timed(() =>
      cli(['roster', 'import', path, '--json', '--apply'], { env: { DATABASE_PATH: db } }),
    );
    expect(applied.status).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ ok: true, applied: true });
    console.info(
      `cli roster import (1,200 四川省 rows, GBK, in-process): dry run ${dryMs.toFixed(0)} ms, --apply ${applyMs.toFixed(0)} ms`,
    );
  });

  it('a bad file: exit 1, reasons by Excel row on stderr, database byte-for-byte unchanged', async () => {
    const db = seededDbFile();
    const hash = sha256(db);
    const rows = gansuRows();
    rows.splice(10, 0, ['甘肃省', '兰洲市', '兰州市第一中学', '', '', '', '']);
    rows.push(['甘肃省', '张掖市', '张掖中学', '', '', '', '']);
    const path = file('bad.csv', gbk(csvText(CN_HEADER, rows)));
    const { status, stdout, stderr } = await cli(['roster', 'import', path, '--apply'], {
      env: { DATABASE_PATH: db },
    });
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      'error: bad.csv rejected: 2 problems; nothing was changed',
      '  row 12, 市州: unknown prefecture 兰洲市 in 甘肃省 — did you mean 兰州市?',
      '  row 80, 单位名称: duplicate unit 张掖中学: rows 79 and 80',
      '',
    ]);
    expect(sha256(db)).toBe(hash);
  });

  it('usage errors exit 2', async () => {
    const missing = await cli(['roster', 'import', join(dir, 'nope.csv')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('error: cannot read');
    const noArg = await cli(['roster', 'import']);
    expect(noArg.status).toBe(2);
    expect(noArg.stderr).toContain("missing required argument 'file'");
  });
});

describe('npm run cli -- roster export', () => {
  it('CSV on stdout; imported back it changes nothing', async () => {
    const db = seededDbFile();
    const { status, stdout } = await cli(['roster', 'export'], { env: { DATABASE_PATH: db } });
    expect(status).toBe(0);
    expect(stdout.startsWith('\ufeff省份,市州,单位名称,类型,县区,联系人,电话,试点城市\r\n')).toBe(true);
    expect(stdout.trimEnd().split('\r\n')).toHaveLength(78);
    const back = await cli(['roster', 'import', file('export.csv', Buffer.from(stdout, 'utf8'))], {
      env: { DATABASE_PATH: db },
    });
    expect(back.stdout).toBe('read export.csv: CSV, UTF-8 with BOM, 77 data rows\nno changes\n');
  });

  it('--out FILE.xlsx writes a workbook; XLSX without --out is a usage error', async () => {
    const out = join(dir, 'roster.xlsx');
    const wrote = await cli(['roster', 'export', '--out', out]);
    expect(wrote.status).toBe(0);
    expect(wrote.stdout).toBe(`wrote 77 units to ${out} (XLSX)\n`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(out) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(78);
    expect(sheet.getRow(1).getCell(3).value).toBe('单位名称');

    const binary = await cli(['roster', 'export', '--format', 'xlsx']);
    expect(binary.status).toBe(2);
    expect(binary.stdout).toBe('');
    expect(binary.stderr).toContain('error: XLSX is a binary file: give --out FILE.xlsx');
  });
});
