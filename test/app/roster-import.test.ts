import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AnswerService } from '../../src/app/answer-service.js';
import { inferKind, readRosterFile } from '../../src/app/roster-file.js';
import { diffRoster, importRoster } from '../../src/app/roster-import.js';
import { formatDiff, formatErrors } from '../../src/cli/roster.js';
import type { Db } from '../../src/db/client.js';
import { sqlitePorts } from '../../src/db/ports.js';
import { RosterStore } from '../../src/db/roster-store.js';
import { acknowledgements, auditLog, bindings, deadlines, prefectures, units } from '../../src/db/schema.js';
import { seededMemoryDb } from '../support/db.js';
import {
  CN_HEADER,
  csvText,
  EN_HEADER,
  gansuRows,
  gb18030,
  gbk,
  reorder,
  seededDbFile,
  sha256,
  shiftJis,
  sichuanRows,
  utf8,
  utf8Bom,
  withDbFile,
  xlsxFile,
} from '../support/roster-files.js';

const NEW_UNIT = ['甘肃省', '兰州', '兰州市第一中学', '', '城关', '王䶮', '０９３１－８８８８８８８'];

/** The Gansu roster with one unit added (in short forms) and one unit's contact changed. */
function editedGansu(contact = '王䶮'): string[][] {
  const rows = gansuRows();
  const zhangye = rows.find((r) => r[2] === '张掖中学');
  if (!zhangye) throw new Error('张掖中学 missing from data/units.csv');
  zhangye[5] = '李老师';
  zhangye[6] = '0936-8211234';
  const added = [...NEW_UNIT];
  added[5] = contact;
  return [...rows, added];
}

function counts(db: Db) {
  return {
    units: db.select().from(units).all().length,
    prefectures: db.select().from(prefectures).all().length,
    audit: db.select().from(auditLog).all().length,
    version: new RosterStore(db).version(),
  };
}

interface Variant {
  readonly label: string;
  readonly file: string;
  readonly build: () => Promise<Uint8Array> | Uint8Array;
  readonly encoding: string;
  /** The new unit's contact person (GBK cannot carry 䶮). */
  readonly contact?: string;
  /** Excel row of the new unit. */
  readonly row?: number;
}

describe('roster import: good files', () => {
  const rows = editedGansu();
  const variants: Variant[] = [
    {
      label: 'UTF-8 CSV',
      file: 'roster.csv',
      build: () => utf8(csvText(CN_HEADER, rows)),
      encoding: 'UTF-8',
    },
    {
      label: 'UTF-8 CSV with BOM',
      file: 'roster.csv',
      build: () => utf8Bom(csvText(CN_HEADER, rows)),
      encoding: 'UTF-8 with BOM',
    },
    {
      label: 'GBK CSV',
      file: 'roster.csv',
      build: () => gbk(csvText(CN_HEADER, editedGansu('王燕'))),
      encoding: 'GB18030',
      contact: '王燕',
    },
    // 䶮 (U+4DAE) is outside GBK: only GB18030 carries it.
    {
      label: 'GB18030 CSV',
      file: 'roster.csv',
      build: () => gb18030(csvText(CN_HEADER, rows)),
      encoding: 'GB18030',
    },
    { label: 'XLSX', file: 'roster.xlsx', build: () => xlsxFile(CN_HEADER, rows), encoding: 'XLSX' },
    {
      label: 'XLSX under a title line, named .dat',
      file: 'roster.dat',
      build: () => xlsxFile(CN_HEADER, rows, { title: '试点单位名单' }),
      encoding: 'XLSX',
      row: 80,
    },
    {
      label: 'English header',
      file: 'roster.csv',
      build: () => utf8(csvText(EN_HEADER, rows)),
      encoding: 'UTF-8',
    },
    {
      label: 'shuffled and extra columns',
      file: 'roster.csv',
      build: () => {
        const t = reorder(CN_HEADER, rows, ['序号', 6, 2, 0, '备注', 4, 1, 5, 3]);
        return gb18030(csvText(t.header, t.rows));
      },
      encoding: 'GB18030',
    },
    {
      label: 'header variants (full-width, case, notes)',
      file: 'roster.csv',
      build: () =>
        utf8(
          csvText(
            [
              'Province',
              ' 市（州） ',
              '单位名称*',
              '类型(学校/高校/校外机构)',
              '县(区)',
              'Contact Person',
              '联系电话',
            ],
            rows,
          ),
        ),
      encoding: 'UTF-8',
    },
  ];

  it.each(variants)('$label', async (v) => {
    const db = seededMemoryDb();
    const outcome = await importRoster(sqlitePorts(db), await v.build(), v.file);
    expect(outcome.errors).toEqual([]);
    expect(outcome.file?.encoding).toBe(v.encoding);
    const diff = outcome.diff!;
    expect(diff.totals).toMatchObject({ addedUnits: 1, changedUnits: 1, removedUnits: 0, addedCities: 0 });
    const gansu = diff.provinces[0]!;
    expect(gansu.province).toBe('甘肃省');
    expect(gansu.units.added).toEqual([
      {
        row: v.row ?? 79,
        name: '兰州市第一中学',
        prefecture: '兰州市',
        county: '城关区',
        kind: 'school',
        contactPerson: v.contact ?? '王䶮',
        contactPhone: '0931-8888888',
      },
    ]);
    expect(gansu.units.changed).toMatchObject([
      {
        name: '张掖中学',
        changes: [
          { field: 'contact_person', from: null, to: '李老师' },
          { field: 'contact_phone', from: null, to: '0936-8211234' },
        ],
      },
    ]);
    expect(gansu.units.unchanged).toBe(76);
  });

  it('reads a GBK file exactly (the bytes Excel on Chinese Windows writes)', async () => {
    const text = csvText(CN_HEADER, [
      ['甘肃省', '临夏州', '临夏县第一中学', '', '临夏县', '马老师', '0930-1234567'],
    ]);
    const bytes = gbk(text);
    expect(bytes.includes(Buffer.from('临夏', 'utf8'))).toBe(false);
    const read = await readRosterFile(bytes, 'x.csv');
    expect(read.ok && read.roster.units[0]).toMatchObject({
      prefecture: '临夏回族自治州',
      county: '临夏县',
      contactPerson: '马老师',
    });
  });

  it('normalises short forms, full-width text, kinds, and the apostrophe export puts before =', async () => {
    const text = csvText(
      [...CN_HEADER, '试点城市'],
      [
        ['甘肃', '兰州', '兰州理工大学', '', '', '', '', ''],
        ['甘肃省', '兰州市', '兰州市青少年活动中心', '', '城关', "'=SUM(1)", "'-123", ''],
        ['甘肃省', '临夏州', '广河县第一中学', 'out_of_school', '广河', '', '', '否'],
        ['甘肃省', '金昌', '金昌市第一小学', '中小学', '', '', '(0935)123 4567转8', ''],
        ['甘肃省', '嘉峪关', '嘉峪关市科技馆', '', '', '', '', '是'],
      ],
    );
    const read = await readRosterFile(utf8(text), 'x.csv');
    if (!read.ok) throw new Error(JSON.stringify(read.errors));
    const [a, b, c, d, e] = read.roster.units;
    expect(a).toMatchObject({
      province: '甘肃省',
      prefecture: '兰州市',
      kind: null,
      inferredKind: 'university',
    });
    expect(b).toMatchObject({
      inferredKind: 'out_of_school',
      county: '城关区',
      contactPerson: '=SUM(1)',
      contactPhone: '-123',
    });
    expect(c).toMatchObject({ prefecture: '临夏回族自治州', county: '广河县', kind: 'out_of_school' });
    expect(d).toMatchObject({ kind: 'school', contactPhone: '(0935)123 4567转8' });
    expect(e).toMatchObject({ prefecture: '嘉峪关市', inferredKind: 'out_of_school' });
    expect(read.roster.cities.find((x) => x.name === '嘉峪关市')).toMatchObject({ pilotCity: true });
    expect(read.roster.cities.find((x) => x.name === '临夏回族自治州')).toMatchObject({ pilotCity: false });
    expect(read.roster.cities.find((x) => x.name === '兰州市')).toMatchObject({ pilotCity: null });
  });

  it('infers the kind of every reviewed Gansu unit as reviewed', () => {
    for (const r of gansuRows())
      expect(`${r[2]} ${inferKind(r[2]!)}`).toBe(
        `${r[2]} ${{ 学校: 'school', 高校: 'university', 校外机构: 'out_of_school' }[r[3]!]}`,
      );
  });

  it('the reviewed data/units.csv itself imports with no changes', async () => {
    const db = seededMemoryDb();
    const text = csvText(
      EN_HEADER.slice(0, 5),
      gansuRows().map((r) => r.slice(0, 5)),
    );
    const outcome = await importRoster(sqlitePorts(db), utf8(text), 'units.csv', { apply: true });
    expect(outcome.diff?.empty).toBe(true);
    expect(outcome.applied).toBe(false);
    expect(formatDiff(outcome.diff!)).toEqual(['no changes']);
  });
});

describe('roster import: dry run and apply', () => {
  it('a dry run changes nothing', async () => {
    const db = seededMemoryDb();
    const before = counts(db);
    const outcome = await importRoster(
      sqlitePorts(db),
      utf8(csvText(CN_HEADER, editedGansu())),
      'roster.csv',
    );
    expect(outcome.applied).toBe(false);
    expect(outcome.diff?.empty).toBe(false);
    expect(counts(db)).toEqual(before);
  });

  it('--apply writes in one transaction: counts, version, audit entry, and answers follow at once', async () => {
    const db = seededMemoryDb();
    const answers = new AnswerService(new RosterStore(db));
    expect(answers.answer('兰州市第一中学').verdict).toBe('not_pilot');
    const before = counts(db);
    const outcome = await importRoster(
      sqlitePorts(db),
      utf8(csvText(CN_HEADER, editedGansu())),
      'roster.csv',
      {
        apply: true,
      },
    );
    expect(outcome.applied).toBe(true);
    const after = counts(db);
    expect(after).toEqual({
      units: before.units + 1,
      prefectures: before.prefectures,
      audit: before.audit + 1,
      version: before.version + 1,
    });
    const added = db.select().from(units).where(eq(units.name, '兰州市第一中学')).get();
    expect(added).toMatchObject({
      province: '甘肃省',
      prefecture: '兰州市',
      county: '城关区',
      kind: 'school',
      aliases: [],
    });
    const zhangye = db.select().from(units).where(eq(units.name, '张掖中学')).get();
    expect(zhangye).toMatchObject({ contactPerson: '李老师', contactPhone: '0936-8211234' });
    const entry = db.select().from(auditLog).all().at(-1);
    expect(entry).toMatchObject({ actorId: null, channel: 'cli', action: 'roster.import' });
    expect(entry?.subject).toContain('roster.csv');
    expect(entry?.subject).toContain('甘肃省');
    expect(entry?.before).toEqual({ counts: { 甘肃省: { units: 77, cities: 13 } } });
    expect(entry?.after).toMatchObject({
      counts: { 甘肃省: { units: 78, cities: 13 } },
      added: ['兰州市第一中学'],
      changed: [{ name: '张掖中学', fields: ['contact_person', 'contact_phone'] }],
      removed: [],
    });
    const answer = answers.answer('兰州市第一中学');
    expect(answer.verdict).toBe('pilot');
    expect(answer.matches[0]?.name).toBe('兰州市第一中学');

    // Importing the same file again: no changes, nothing written.
    const again = await importRoster(sqlitePorts(db), utf8(csvText(CN_HEADER, editedGansu())), 'roster.csv', {
      apply: true,
    });
    expect(again.diff?.empty).toBe(true);
    expect(counts(db)).toEqual(after);
  });

  it('removing units and cities: bound groups, 已完成 marks and moves are reported and follow', async () => {
    const db = seededMemoryDb();
    const id = (name: string) => db.select().from(units).where(eq(units.name, name)).get()!.id;
    const deadline = db
      .insert(deadlines)
      .values({
        title: 't',
        dueAt: Date.now() + 1e9,
        audience: { kind: 'units', unitIds: [id('金昌市第二小学')] },
        offsets: ['1d'],
      })
      .returning()
      .get();
    db.insert(bindings)
      .values({ chatId: -1001, kind: 'unit', prefecture: '金昌市', unitId: id('金昌市第二小学') })
      .run();
    db.insert(bindings).values({ chatId: -1002, kind: 'city', prefecture: '金昌市', unitId: null }).run();
    db.insert(bindings)
      .values({ chatId: -1003, kind: 'unit', prefecture: '张掖市', unitId: id('张掖中学') })
      .run();
    db.insert(acknowledgements)
      .values({ deadlineId: deadline.id, unitId: id('金昌市第二小学'), userId: 7, at: 1 })
      .run();

    // 金昌市 and its 3 units go; 张掖中学 moves to 酒泉市 (a test of moves, not of geography).
    const rows = gansuRows()
      .filter((r) => r[1] !== '金昌市')
      .map((r) => (r[2] === '张掖中学' ? ['甘肃省', '酒泉市', '张掖中学', '学校', '', '', ''] : r));
    const kept = await importRoster(sqlitePorts(db), utf8(csvText(CN_HEADER, rows)), 'r.csv');
    expect(kept.diff!.totals).toMatchObject({ removedUnits: 0, removedCities: 0, changedUnits: 1 });
    expect(kept.diff!.provinces[0]!.kept).toEqual({ units: 3, cities: 1 });
    const dry = await importRoster(sqlitePorts(db), utf8(csvText(CN_HEADER, rows)), 'r.csv', { prune: true });
    const gansu = dry.diff!.provinces[0]!;
    expect(gansu.units.removed.map((u) => u.name).sort()).toEqual(
      ['永昌县第一小学', '金昌市第三中学', '金昌市第二小学'].sort(),
    );
    expect(gansu.units.removed.find((u) => u.name === '金昌市第二小学')).toMatchObject({
      boundGroups: 1,
      acknowledgements: 1,
      deadlines: 1,
    });
    expect(gansu.cities.removed).toEqual([
      { name: '金昌市', pilotCity: false, boundGroups: 1, coordinators: 0 },
    ]);
    const row = rows.findIndex((r) => r[2] === '张掖中学') + 2;
    expect(gansu.units.changed).toMatchObject([
      {
        name: '张掖中学',
        row,
        boundGroups: 1,
        changes: [{ field: 'prefecture', from: '张掖市', to: '酒泉市' }],
      },
    ]);
    const text = formatDiff(dry.diff!).join('\n');
    expect(text).toContain('1 bound group will lose its binding');
    expect(text).toContain('- city 金昌市 (warning: 1 city group is bound to it)');
    expect(text).toContain(
      `~ unit 张掖中学 (row ${row}): prefecture 张掖市 → 酒泉市 (its bound group moves with it)`,
    );

    await importRoster(sqlitePorts(db), utf8(csvText(CN_HEADER, rows)), 'r.csv', {
      apply: true,
      prune: true,
    });
    expect(db.select().from(units).where(eq(units.prefecture, '金昌市')).all()).toEqual([]);
    expect(db.select().from(prefectures).where(eq(prefectures.name, '金昌市')).all()).toEqual([]);
    expect(
      db
        .select()
        .from(bindings)
        .all()
        .map((b) => [b.chatId, b.prefecture]),
    ).toEqual([
      [-1002, '金昌市'],
      [-1003, '酒泉市'],
    ]);
    expect(db.select().from(acknowledgements).all()).toEqual([]);
  });

  it('loads another province (1,000+ rows of 四川省) beside Gansu without touching Gansu', async () => {
    const db = seededMemoryDb();
    const gansuBefore = db.select().from(units).where(eq(units.province, '甘肃省')).all();
    const citiesBefore = db.select().from(prefectures).where(eq(prefectures.province, '甘肃省')).all();
    const rows = sichuanRows(1200);
    const bytes = gbk(csvText(CN_HEADER, rows));

    let t = performance.now();
    const dry = await importRoster(sqlitePorts(db), bytes, 'sichuan.csv');
    const dryMs = performance.now() - t;
    expect(dry.diff?.provinces.map((p) => p.province)).toEqual(['四川省']);
    expect(dry.diff?.totals).toMatchObject({ addedUnits: 1200, removedUnits: 0, addedCities: 21 });

    t = performance.now();
    const applied = await importRoster(sqlitePorts(db), bytes, 'sichuan.csv', { apply: true });
    const applyMs = performance.now() - t;
    console.info(
      `roster import of ${rows.length} 四川省 rows (GBK CSV, ${bytes.length} bytes): dry run ${dryMs.toFixed(0)} ms, --apply ${applyMs.toFixed(0)} ms`,
    );
    expect(applied.applied).toBe(true);
    expect(dryMs).toBeLessThan(3000);
    expect(applyMs).toBeLessThan(3000);

    expect(db.select().from(units).where(eq(units.province, '甘肃省')).all()).toEqual(gansuBefore);
    expect(db.select().from(prefectures).where(eq(prefectures.province, '甘肃省')).all()).toEqual(
      citiesBefore,
    );
    const sichuan = db.select().from(units).where(eq(units.province, '四川省')).all();
    expect(sichuan).toHaveLength(1200);
    expect(new Set(sichuan.map((u) => u.kind))).toEqual(new Set(['school', 'out_of_school', 'university']));
    const aba = db.select().from(prefectures).where(eq(prefectures.name, '阿坝藏族羌族自治州')).get();
    expect(aba).toMatchObject({ province: '四川省', pilotCity: false, shortNames: ['阿坝州', '阿坝'] });

    // Gansu's file later: only Gansu is compared, 四川 stays.
    const gansu = await importRoster(sqlitePorts(db), utf8(csvText(CN_HEADER, gansuRows())), 'gansu.csv');
    expect(gansu.diff?.empty).toBe(true);
    const answers = new AnswerService(new RosterStore(db));
    const sample = rows.find((r) => /第.+中学$/.test(r[2]!) && r[2]!.startsWith(r[1]!))!;
    expect(answers.answer(sample[2]!).verdict).toBe('pilot');
  });
});

describe('roster import: rejected files leave the database byte-for-byte unchanged', () => {
  const header = csvText(CN_HEADER, []);
  const good = gansuRows();
  const withRow = (row: string[], at = good.length) => [...good.slice(0, at), row, ...good.slice(at)];

  const cases: [
    string,
    string,
    () => Uint8Array | Promise<Uint8Array>,
    { row: number | null; message: RegExp }[],
  ][] = [
    ['empty file', 'e.csv', () => new Uint8Array(), [{ row: null, message: /empty/ }]],
    ['BOM only', 'e.csv', () => utf8Bom(''), [{ row: null, message: /empty/ }]],
    ['header only', 'h.csv', () => utf8(header), [{ row: null, message: /no data rows/ }]],
    [
      'missing columns',
      'm.csv',
      () => utf8(csvText(['省份', '类型', '备注'], [['甘肃省', '学校', 'x']])),
      [{ row: 1, message: /missing required columns: 市州 \(prefecture\), 单位名称 \(name\)/ }],
    ],
    [
      'duplicate units',
      'd.csv',
      () => utf8(csvText(CN_HEADER, withRow(['甘肃省', '兰州', '张掖中学', '', '', '', '']))),
      [{ row: 79, message: /duplicate unit 张掖中学: rows 78 and 79/ }],
    ],
    [
      'unknown prefecture, with a suggestion',
      'p.csv',
      () => gbk(csvText(CN_HEADER, withRow(['甘肃省', '兰洲市', '兰州市第一中学', '', '', '', ''], 10))),
      [{ row: 12, message: /unknown prefecture 兰洲市 in 甘肃省 — did you mean 兰州市\?/ }],
    ],
    [
      'a prefecture of another province, a county of another prefecture, an unknown county',
      'c.csv',
      () =>
        utf8(
          csvText(CN_HEADER, [
            ['甘肃省', '成都市', '甲小学', '', '', '', ''],
            ['甘肃省', '兰州市', '乙小学', '', '临洮县', '', ''],
            ['甘肃省', '兰州市', '丙小学', '', '城关县', '', ''],
            ['甘肃省', '临夏州', '丁小学', '', '临夏', '', ''],
          ]),
        ),
      [
        { row: 2, message: /成都市 is a prefecture of 四川省, not of 甘肃省/ },
        { row: 3, message: /临洮县 is in 定西市, not in 兰州市/ },
        { row: 4, message: /unknown county 城关县 in 兰州市 — did you mean 城关区\?/ },
        { row: 5, message: /临夏 is ambiguous in 临夏回族自治州: 临夏市 or 临夏县/ },
      ],
    ],
    [
      'over-long field, bad phone, unknown kind, missing name, unknown province',
      'o.csv',
      () =>
        utf8(
          csvText(CN_HEADER, [
            ['甘肃省', '兰州市', `兰州${'很'.repeat(99)}小学`, '', '', '', ''],
            ['甘肃省', '兰州市', '丁小学', '幼儿园', '', '', '电话:0931'],
            ['甘肃省', '兰州市', '', '学校', '', '', ''],
            ['甘粛', '兰州市', '戊小学', '', '', '', ''],
          ]),
        ),
      [
        { row: 2, message: /too long \(103 characters; at most 100\)/ },
        { row: 3, message: /unknown kind 幼儿园/ },
        { row: 3, message: /phone 电话:0931 may contain only digits/ },
        { row: 4, message: /unit name is missing/ },
        { row: 5, message: /unknown province 甘粛 — did you mean 甘肃省\?/ },
      ],
    ],
    [
      'control characters and zero-width characters',
      'z.csv',
      () =>
        utf8(
          csvText(CN_HEADER, [
            ['甘肃省', '兰州市', '己\u0007小学', '', '', '', ''],
            ['甘肃省', '兰州市', '庚小学', '', '', '张\u200b三', ''],
          ]),
        ),
      [
        { row: 2, message: /control or invisible character \(U\+0007\)/ },
        { row: 3, message: /control or invisible character \(U\+200B\)/ },
      ],
    ],
    [
      'conflicting pilot city marks',
      'pc.csv',
      () =>
        utf8(
          csvText(
            ['省份', '市州', '单位名称', '试点城市'],
            [
              ['甘肃省', '兰州市', '甲小学', '是'],
              ['甘肃省', '兰州市', '乙小学', '否'],
            ],
          ),
        ),
      [{ row: 3, message: /兰州市 is marked 否 here but 是 on row 2/ }],
    ],
    [
      'wrong encoding (Shift-JIS)',
      's.csv',
      () => shiftJis(csvText(CN_HEADER, good)),
      [{ row: null, message: /wrong encoding or not a roster file/ }],
    ],
    [
      'random binary',
      'r.csv',
      () => randomBytes(4096).fill(0x00, 0, 1),
      [{ row: null, message: /wrong encoding or not a roster file/ }],
    ],
    [
      'a truncated XLSX',
      't.xlsx',
      async () => {
        const full = await xlsxFile(CN_HEADER, good);
        return full.subarray(0, Math.floor(full.length * 0.6));
      },
      [{ row: null, message: /corrupt, truncated/ }],
    ],
    [
      'an old .xls',
      'old.xls',
      () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      [{ row: null, message: /\.xlsx or CSV/ }],
    ],
    [
      'more than 20,000 rows',
      'big.csv',
      () =>
        utf8(
          csvText(
            CN_HEADER,
            Array.from({ length: 20_001 }, (_, i) => ['甘肃省', '兰州市', `第${i}小学`, '', '', '', '']),
          ),
        ),
      [{ row: null, message: /too large: 20001 data rows/ }],
    ],
  ];

  it.each(cases)('%s', async (_label, name, build, expected) => {
    const path = seededDbFile();
    const hash = sha256(path);
    const bytes = await build();
    const outcome = await withDbFile(path, (db) =>
      importRoster(sqlitePorts(db), bytes, name, { apply: true }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.applied).toBe(false);
    expect(outcome.diff).toBeNull();
    expect(outcome.errors).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      expect(outcome.errors[i]?.row).toBe(e.row);
      expect(outcome.errors[i]?.message).toMatch(e.message);
    });
    expect(sha256(path)).toBe(hash);
  });

  it('10,000 rows with one bad row near the end: rejected quickly, with the right row number', async () => {
    const rows = sichuanRows(10_000, 7);
    rows[9_990] = [...rows[9_990]!];
    rows[9_990][1] = '成督市';
    const bytes = gb18030(csvText(CN_HEADER, rows));
    const path = seededDbFile();
    const hash = sha256(path);
    const t = performance.now();
    const outcome = await withDbFile(path, (db) =>
      importRoster(sqlitePorts(db), bytes, 'sc.csv', { apply: true }),
    );
    const ms = performance.now() - t;
    expect(outcome.errors).toEqual([
      { row: 9_992, column: '市州', message: 'unknown prefecture 成督市 in 四川省 — did you mean 成都市?' },
    ]);
    expect(ms).toBeLessThan(3000);
    expect(sha256(path)).toBe(hash);
  });

  it('collects every row error; the printed list stops at 50 with a count of the rest', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ['甘肃省', '兰洲', `第${i}小学`, '', '', '', '']);
    const read = await readRosterFile(utf8(csvText(CN_HEADER, rows)), 'x.csv');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.errors.map((e) => e.row)).toEqual(rows.map((_, i) => i + 2));
    const lines = formatErrors(read.errors);
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe('  row 2, 市州: unknown prefecture 兰洲 in 甘肃省 — did you mean 兰州市?');
    expect(lines[50]).toBe('  ... and 10 more');
  });

  it('a dry run of a valid file reads the database without writing to it', async () => {
    const path = seededDbFile();
    const hash = sha256(path);
    await withDbFile(path, (db) => {
      const outcome = readRosterFile(utf8(csvText(CN_HEADER, editedGansu())), 'x.csv');
      return outcome.then((r) => {
        if (!r.ok) throw new Error('unexpected rejection');
        expect(diffRoster(sqlitePorts(db), r.roster).totals.addedUnits).toBe(1);
      });
    });
    expect(sha256(path)).toBe(hash);
  });
});
