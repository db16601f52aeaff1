import type ExcelJS from 'exceljs';
import type { UnitKind } from '../domain/roster.js';
import { fitUnits } from '../domain/text/cut.js';
import type { RosterRecordsPort } from './ports.js';

/** Where an export reads the roster from. */
export type RosterSource = { readonly rosterRecords: Pick<RosterRecordsPort, 'records'> };

/**
 * The roster as coordinators open it: CSV (UTF-8 with BOM, which Excel reads as Unicode) or XLSX,
 * Chinese headers, one row per unit. Cells that a spreadsheet would run as a formula (= + - @)
 * get an apostrophe in front; the importer takes it off again, so an export imported back
 * changes nothing.
 */

export const EXPORT_HEADER = [
  '省份',
  '市州',
  '单位名称',
  '类型',
  '县区',
  '联系人',
  '电话',
  '试点城市',
] as const;

export const KIND_EXPORT_LABELS: Record<UnitKind, string> = {
  school: '学校',
  university: '高校',
  out_of_school: '校外机构',
};

const FORMULA_START = /^'*[=+\-@]/;

/**
 * A cell that cannot start a formula: '=1+2 for =1+2. Also escapes a value already starting
 * with apostrophes before = + - @, so the importer's "drop one apostrophe" restores it exactly.
 */
export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One CSV field, quoted when it holds a comma, quote, CR or LF (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** CSV text, CRLF line ends (as Excel writes them), every cell neutralised. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => `${r.map((c) => csvField(neutralise(c))).join(',')}\r\n`).join('');
}

/** The export rows (without header), for the whole roster or one province. */
export function rosterRows(source: RosterSource, opts: { province?: string } = {}): string[][] {
  const { units: unitRows, cities: cityRows } = source.rosterRecords.records(
    opts.province ? [opts.province] : undefined,
  );

  // Province in order of first appearance, then prefecture order, then unit order.
  const provinceOrder = new Map<string, number>();
  const cityOrder = new Map<string, number>();
  const pilot = new Map<string, boolean>();
  for (const c of cityRows) {
    if (!provinceOrder.has(c.province)) provinceOrder.set(c.province, provinceOrder.size);
    cityOrder.set(`${c.province}\u0000${c.name}`, cityOrder.size);
    pilot.set(`${c.province}\u0000${c.name}`, c.pilotCity);
  }
  for (const u of unitRows)
    if (!provinceOrder.has(u.province)) provinceOrder.set(u.province, provinceOrder.size);
  const place = (province: string, prefecture: string) => [
    provinceOrder.get(province) ?? Number.MAX_SAFE_INTEGER,
    cityOrder.get(`${province}\u0000${prefecture}`) ?? Number.MAX_SAFE_INTEGER,
  ];
  const yesNo = (province: string, prefecture: string) =>
    pilot.get(`${province}\u0000${prefecture}`) ? '是' : '否';

  const out: { key: number[]; row: string[] }[] = unitRows.map((u) => ({
    key: [...place(u.province, u.prefecture), u.id],
    row: [
      u.province,
      u.prefecture,
      u.name,
      KIND_EXPORT_LABELS[u.kind],
      u.county ?? '',
      u.contactPerson ?? '',
      u.contactPhone ?? '',
      yesNo(u.province, u.prefecture),
    ],
  }));
  // A prefecture without units still belongs to the roster: one row naming only the city.
  const withUnits = new Set(unitRows.map((u) => `${u.province}\u0000${u.prefecture}`));
  for (const c of cityRows) {
    if (withUnits.has(`${c.province}\u0000${c.name}`)) continue;
    out.push({
      key: [...place(c.province, c.name), -1],
      row: [c.province, c.name, '', '', '', '', '', c.pilotCity ? '是' : '否'],
    });
  }
  out.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const d = (a.key[i] ?? 0) - (b.key[i] ?? 0);
      if (d) return d;
    }
    return 0;
  });
  return out.map((o) => o.row);
}

/** The roster as CSV bytes: UTF-8 with BOM, header row first. */
export function rosterCsv(source: RosterSource, opts: { province?: string } = {}): Buffer {
  return Buffer.from(`\ufeff${toCsv([[...EXPORT_HEADER], ...rosterRows(source, opts)])}`, 'utf8');
}

/** Visual width of a cell for column sizing: CJK characters count double. */
function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return n;
}

function addTable(
  sheet: ExcelJS.Worksheet,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  startRow = 1,
): void {
  const headerRow = sheet.getRow(startRow);
  header.forEach((h, i) => {
    headerRow.getCell(i + 1).value = h;
  });
  headerRow.font = { bold: true };
  rows.forEach((r, i) => {
    const row = sheet.getRow(startRow + 1 + i);
    r.forEach((cell, j) => {
      // Strings stay strings (a phone 0931... keeps its zero); never a formula. Blank stays empty.
      if (cell !== '') row.getCell(j + 1).value = neutralise(cell);
    });
  });
  header.forEach((h, i) => {
    let widest = displayWidth(h);
    for (const r of rows) widest = Math.max(widest, displayWidth(neutralise(r[i] ?? '')));
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, widest + 2));
  });
  sheet.views = [{ state: 'frozen', ySplit: startRow }];
}

/** exceljs is loaded on first use only: it costs ~0.5 s and ~25 MB, and most runs never export. */
async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: lib } = await import('exceljs');
  return new lib.Workbook();
}

async function toBuffer(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The roster as an XLSX workbook (one sheet 名单, bold header, sized columns): for the CLI and the bot. */
export async function rosterXlsx(source: RosterSource, opts: { province?: string } = {}): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = 'kczm-pilot-bot';
  const sheet = workbook.addWorksheet('名单');
  addTable(sheet, EXPORT_HEADER, rosterRows(source, opts));
  return toBuffer(workbook);
}

export interface DeadlineStatusRow {
  readonly prefecture: string;
  readonly unit: string;
  readonly done: boolean;
  /** Who marked it done. */
  readonly by: string | null;
  /** Their Telegram user id. */
  readonly byId?: number | null;
  /** When, already formatted for the reader. */
  readonly at: string | null;
}

/** A worksheet name Excel accepts: at most 31 characters, none of [ ] : * ? / \. */
function sheetName(title: string): string {
  // A deadline title is user text: cut between code points (half an emoji corrupts the file).
  const cleaned = fitUnits(title.replace(/[[\]:*?/\\]/g, ' ').trim(), 31);
  return cleaned || '进度';
}

/** Who has marked a deadline done, as an XLSX: a title line, then 市州, 单位, 状态, 确认人, 时间. */
export async function deadlineStatusXlsx(rows: readonly DeadlineStatusRow[], title: string): Promise<Buffer> {
  const workbook = await newWorkbook();
  workbook.creator = 'kczm-pilot-bot';
  const sheet = workbook.addWorksheet(sheetName(title));
  const header = ['市州', '单位', '状态', '确认人', '确认人ID', '时间'];
  const titleCell = sheet.getCell('A1');
  titleCell.value = neutralise(title);
  titleCell.font = { bold: true, size: 13 };
  sheet.mergeCells(1, 1, 1, header.length);
  addTable(
    sheet,
    header,
    rows.map((r) => [
      r.prefecture,
      r.unit,
      r.done ? '已完成' : '未完成',
      r.by ?? '',
      r.byId == null ? '' : String(r.byId),
      r.at ?? '',
    ]),
    2,
  );
  return toBuffer(workbook);
}
