import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  csvField,
  deadlineStatusXlsx,
  EXPORT_HEADER,
  neutralise,
  rosterCsv,
  rosterXlsx,
} from '../../src/app/roster-export.js';
import { importRoster } from '../../src/app/roster-import.js';
import type { Db } from '../../src/db/client.js';
import { sqlitePorts } from '../../src/db/ports.js';
import { RosterStore } from '../../src/db/roster-store.js';
import { prefectures, units } from '../../src/db/schema.js';
import { seededMemoryDb } from '../support/db.js';
import { CN_HEADER, csvText, gbk, sichuanRows } from '../support/roster-files.js';

/** Units whose cells a spreadsheet would take for formulas, or that need CSV quoting. */
function addHostileUnits(db: Db): void {
  db.insert(units)
    .values([
      {
        province: '甘肃省',
        prefecture: '兰州市',
        name: '=HYPERLINK("http://x","科技馆")',
        kind: 'out_of_school',
        contactPerson: '@张三',
        contactPhone: '-123',
      },
      {
        province: '甘肃省',
        prefecture: '兰州市',
        name: '兰州"星火"科普中心,二部',
        kind: 'out_of_school',
        contactPerson: "'=已转义",
        contactPhone: '+86 931 1234567',
      },
      {
        province: '甘肃省',
        prefecture: '兰州市',
        name: '兰州市城关区科普"小院"',
        kind: 'school',
        contactPerson: '-',
      },
    ])
    .run();
  new RosterStore(db).bumpVersion();
}

async function sheetValues(xlsx: Buffer): Promise<{ values: unknown[][]; sheet: ExcelJS.Worksheet }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const values: unknown[][] = [];
  sheet.eachRow((row) => {
    values.push((row.values as unknown[]).slice(1));
  });
  return { values, sheet };
}

describe('roster export', () => {
  it('CSV: UTF-8 with BOM, Chinese header, one row per unit, proper quoting, no formulas', () => {
    const db = seededMemoryDb();
    addHostileUnits(db);
    db.insert(units)
      .values({ province: '甘肃省', prefecture: '兰州市', name: '多行\n名称', kind: 'school' })
      .run();
    const bytes = rosterCsv(sqlitePorts(db));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('省份,市州,单位名称,类型,县区,联系人,电话,试点城市');
    const records = parse(text, { relax_column_count: false }) as string[][];
    expect(records).toHaveLength(1 + 77 + 4);
    expect(records[1]).toEqual(['甘肃省', '兰州市', '甘肃科技馆', '校外机构', '', '', '', '是']);
    const byName = new Map(records.map((r) => [r[2], r]));
    expect(byName.get('西北师范大学')?.[3]).toBe('高校');
    expect(byName.get('兰州市城关区民主西路小学')?.slice(3)).toEqual(['学校', '城关区', '', '', '是']);
    expect(byName.get('张掖中学')?.[7]).toBe('否');
    expect(byName.get('多行\n名称')?.slice(0, 4)).toEqual(['甘肃省', '兰州市', '多行\n名称', '学校']);
    // Hostile cells: an apostrophe in front; quoting keeps commas, quotes and newlines in one cell.
    expect(byName.get(`'=HYPERLINK("http://x","科技馆")`)?.slice(5, 7)).toEqual(["'@张三", "'-123"]);
    expect(byName.get('兰州"星火"科普中心,二部')?.slice(5, 7)).toEqual(["''=已转义", "'+86 931 1234567"]);
    expect(byName.get('兰州市城关区科普"小院"')?.[5]).toBe("'-");
    for (const r of records) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('neutralise and csvField', () => {
    expect(['=1+2', '+1', '-1', '@a', "'=x", 'a=b', '', "'a"].map(neutralise)).toEqual([
      "'=1+2",
      "'+1",
      "'-1",
      "'@a",
      "''=x",
      'a=b',
      '',
      "'a",
    ]);
    expect(['a', 'a,b', 'a"b', 'a\nb', 'a\rb'].map(csvField)).toEqual([
      'a',
      '"a,b"',
      '"a""b"',
      '"a\nb"',
      '"a\rb"',
    ]);
  });

  it('XLSX: one sheet, bold header, sized columns, strings only (no formula cells)', async () => {
    const db = seededMemoryDb();
    addHostileUnits(db);
    const { values, sheet } = await sheetValues(await rosterXlsx(sqlitePorts(db)));
    expect(values[0]).toEqual([...EXPORT_HEADER]);
    expect(values).toHaveLength(1 + 77 + 3);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getColumn(3).width).toBeGreaterThanOrEqual(20);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(8);
    for (const row of values) for (const v of row) if (v !== undefined) expect(typeof v).toBe('string');
    const hostile = values.find((r) => String(r[2]).includes('HYPERLINK'))!;
    expect(hostile.slice(2, 7)).toEqual([
      `'=HYPERLINK("http://x","科技馆")`,
      '校外机构',
      undefined,
      "'@张三",
      "'-123",
    ]);
  });

  it.each(['csv', 'xlsx'] as const)(
    '%s export imported back changes nothing (hostile cells included)',
    async (format) => {
      const db = seededMemoryDb();
      addHostileUnits(db);
      // Contacts, another province, and a prefecture without units all survive the round trip.
      db.update(units)
        .set({ contactPerson: '李老师', contactPhone: '0936-8211234' })
        .where(eq(units.name, '张掖中学'))
        .run();
      db.insert(prefectures)
        .values({ province: '甘肃省', name: '嘉峪关市', shortNames: ['嘉峪关'], pilotCity: false })
        .run();
      const sichuan = await importRoster(
        sqlitePorts(db),
        gbk(csvText(CN_HEADER, sichuanRows(300))),
        'sc.csv',
        {
          apply: true,
        },
      );
      expect(sichuan.applied).toBe(true);
      const version = new RosterStore(db).version();

      const file = format === 'csv' ? rosterCsv(sqlitePorts(db)) : await rosterXlsx(sqlitePorts(db));
      const outcome = await importRoster(sqlitePorts(db), file, `roster.${format}`, { apply: true });
      expect(outcome.errors).toEqual([]);
      expect(outcome.diff?.provinces.map((p) => p.province)).toEqual(['甘肃省', '四川省']);
      expect(outcome.diff?.totals).toEqual({
        addedUnits: 0,
        changedUnits: 0,
        removedUnits: 0,
        keptUnits: 0,
        addedCities: 0,
        changedCities: 0,
        removedCities: 0,
        lostBindings: 0,
        lostAcknowledgements: 0,
      });
      expect(outcome.diff?.empty).toBe(true);
      expect(outcome.applied).toBe(false);
      expect(new RosterStore(db).version()).toBe(version);
    },
  );

  it('exports one province on request', async () => {
    const db = seededMemoryDb();
    await importRoster(sqlitePorts(db), gbk(csvText(CN_HEADER, sichuanRows(50))), 'sc.csv', { apply: true });
    const text = rosterCsv(sqlitePorts(db), { province: '四川省' }).toString('utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(51);
    expect(lines.slice(1).every((l) => l.startsWith('四川省,'))).toBe(true);
  });

  it('deadline status workbook: title, header, 已完成/未完成, neutralised cells', async () => {
    const xlsx = await deadlineStatusXlsx(
      [
        {
          prefecture: '兰州市',
          unit: '兰州实验小学',
          done: true,
          by: '王老师',
          byId: 4242,
          at: '2026-12-01 09:30',
        },
        { prefecture: '兰州市', unit: '=cmd|calc', done: false, by: null, at: null },
      ],
      '=第一批材料: 报送/进度?',
    );
    const { values, sheet } = await sheetValues(xlsx);
    expect(sheet.name).toBe('=第一批材料  报送 进度');
    expect(values[0]?.[0]).toBe("'=第一批材料: 报送/进度?");
    expect(values[1]).toEqual(['市州', '单位', '状态', '确认人', '确认人ID', '时间']);
    expect(sheet.getRow(2).font?.bold).toBe(true);
    expect(values[2]).toEqual(['兰州市', '兰州实验小学', '已完成', '王老师', '4242', '2026-12-01 09:30']);
    expect(values[3]?.slice(0, 3)).toEqual(['兰州市', "'=cmd|calc", '未完成']);
  });
});
