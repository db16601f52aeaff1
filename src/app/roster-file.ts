import { areaList } from '@vant/area-data';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { chinaPlaces, type Place, placeForms } from '../domain/places.js';
import type { UnitKind } from '../domain/roster.js';
import { checkXlsxArchive, XlsxLimitError } from './xlsx-guard.js';

/**
 * Reading a roster file as coordinators have them: CSV in UTF-8 (with or without BOM), GBK/GB18030
 * (what Excel on a Chinese Windows saves) or UTF-16 ("Unicode text"), or the first worksheet of an
 * XLSX workbook; headers in Chinese or English, in any order. Every row is checked against the
 * places of China; all problems are collected, numbered by row as Excel shows them (header = 1).
 * Pure: no database here (see roster-import.ts for the diff and the write).
 */

export type RosterField =
  | 'province'
  | 'prefecture'
  | 'name'
  | 'kind'
  | 'county'
  | 'contactPerson'
  | 'contactPhone'
  | 'pilotCity';

/** One reason a file was rejected. `row` is the Excel row (header = 1), null for the whole file. */
export interface RowError {
  readonly row: number | null;
  /** The column as headed in the file (e.g. 市州), null when the problem is not one cell's. */
  readonly column: string | null;
  readonly message: string;
}

/** A unit row of the file, validated and canonical. */
export interface FileUnit {
  readonly row: number;
  readonly province: string;
  readonly prefecture: string;
  readonly name: string;
  /** Null when the cell is blank (or the column absent): keep the stored kind, or `inferredKind` for a new unit. */
  readonly kind: UnitKind | null;
  readonly inferredKind: UnitKind;
  /** Undefined when the column is absent (keep what is stored); null when the cell is blank. */
  readonly county: string | null | undefined;
  /** The county as written (after NFKC), to recognise a stored short form as unchanged. */
  readonly countyInput: string | null | undefined;
  readonly contactPerson: string | null | undefined;
  readonly contactPhone: string | null | undefined;
}

/** A prefecture named by the file: every prefecture of its units, plus city-only rows. */
export interface FileCity {
  readonly row: number;
  readonly province: string;
  readonly name: string;
  /** Null when the file says nothing (column absent or every cell blank for it). */
  readonly pilotCity: boolean | null;
}

export interface ParsedRoster {
  readonly fileName: string;
  readonly format: 'csv' | 'xlsx';
  /** How the bytes were read: UTF-8, UTF-8 with BOM, GB18030, UTF-16LE, UTF-16BE, or XLSX. */
  readonly encoding: string;
  /** The fields the file has a column for. */
  readonly columns: readonly RosterField[];
  /** Provinces present, in order of first appearance. */
  readonly provinces: readonly string[];
  readonly cities: readonly FileCity[];
  readonly units: readonly FileUnit[];
  /** Non-empty data rows read. */
  readonly dataRows: number;
}

export type RosterReadResult =
  | { readonly ok: true; readonly roster: ParsedRoster }
  | { readonly ok: false; readonly errors: readonly RowError[] };

export const MAX_DATA_ROWS = 20_000;
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_NAME_LENGTH = 100;
export const MAX_FIELD_LENGTH = 100;
export const MAX_PHONE_LENGTH = 40;

// ---------------------------------------------------------------------------------------------
// Headers

const HEADER_NAMES: Record<RosterField, readonly string[]> = {
  province: ['省份', '省', '省名', '省份名称', '所属省份', 'province'],
  prefecture: ['市州', '市', '地市', '所属市州', '城市', '地州市', 'prefecture', 'city'],
  name: ['单位名称', '单位', '名称', '学校名称', '单位全称', 'name', 'unit', 'unitname'],
  kind: ['类型', '单位类型', 'kind', 'type', 'unittype'],
  county: ['县区', '县', '区', '区县', '县市区', '所属县区', 'county', 'district'],
  contactPerson: ['联系人', '联系人姓名', 'contact', 'contactperson'],
  contactPhone: [
    '电话',
    '联系电话',
    '手机',
    '手机号',
    '联系人电话',
    'phone',
    'contactphone',
    'tel',
    'telephone',
  ],
  pilotCity: ['试点城市', '是否试点城市', 'pilotcity', 'pilot'],
};

const REQUIRED: readonly RosterField[] = ['province', 'prefecture', 'name'];

/** Header text → field; trimmed, case-insensitive, full-width folded, notes like (学校/高校) dropped. */
const HEADER_INDEX: ReadonlyMap<string, RosterField> = new Map(
  Object.entries(HEADER_NAMES).flatMap(([field, names]) =>
    names.map((n) => [headerKey(n), field as RosterField] as const),
  ),
);

function headerKey(text: string): string {
  const folded = text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[*:：]/g, '');
  // 类型(学校/高校/校外机构) → 类型, 市(州) → 市, contact_person → contactperson.
  return folded.replace(/[\s_-]+/g, '').replace(/\(.*\)$/, '');
}

/** Letter of a 0-based column index as Excel shows it (0 → A, 26 → AA). */
function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Places: provinces, prefectures and counties with their short forms, built once.

interface CountyHome {
  readonly county: string;
  readonly prefecture: string;
}

interface ProvincePlaces {
  readonly name: string;
  /** form → canonical prefecture names (more than one when the form is ambiguous). */
  readonly prefectureForms: Map<string, Set<string>>;
  readonly prefectureNames: string[];
  /** prefecture → (form → canonical county names). */
  readonly countyForms: Map<string, Map<string, Set<string>>>;
  /** form → every county of the province it may stand for (to say which prefecture it is in). */
  readonly anyCounty: Map<string, CountyHome[]>;
}

const DIRECT_COUNTIES = /^(省直辖县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
const GENERIC_CHARS = new Set([...'省市州县区自治族盟地旗新']);

class PlaceCatalogue {
  readonly provinceForms = new Map<string, string>();
  readonly provinceNames: string[] = [];
  readonly provinces = new Map<string, ProvincePlaces>();
  /** Prefecture form → provinces where it is a prefecture (to say "成都市 is in 四川省"). */
  readonly prefectureHome = new Map<string, Set<string>>();

  constructor(places: readonly Place[]) {
    for (const p of places.filter((x) => x.level === 'province')) {
      this.provinceNames.push(p.name);
      for (const form of placeForms(p.name, 'province')) this.provinceForms.set(form, p.name);
      this.provinces.set(p.name, {
        name: p.name,
        prefectureForms: new Map(),
        prefectureNames: [],
        countyForms: new Map(),
        anyCounty: new Map(),
      });
    }
    const addPrefecture = (province: string, name: string) => {
      const info = this.provinces.get(province);
      if (!info || info.prefectureNames.includes(name)) return;
      info.prefectureNames.push(name);
      for (const form of placeForms(name, 'prefecture')) {
        addTo(info.prefectureForms, form, name);
        const homes = this.prefectureHome.get(form) ?? new Set<string>();
        homes.add(province);
        this.prefectureHome.set(form, homes);
      }
    };
    for (const p of places) if (p.level === 'prefecture') addPrefecture(p.province, p.name);
    for (const p of places) {
      if (p.level !== 'county' || !p.prefecture) continue;
      // County-level cities directly under the province (济源市, 仙桃市) stand as prefectures.
      const prefecture = DIRECT_COUNTIES.test(p.prefecture) ? p.name : p.prefecture;
      if (prefecture === p.name) addPrefecture(p.province, p.name);
      const info = this.provinces.get(p.province);
      if (!info) continue;
      const forms = info.countyForms.get(prefecture) ?? new Map<string, Set<string>>();
      info.countyForms.set(prefecture, forms);
      for (const form of placeForms(p.name, 'county')) {
        addTo(forms, form, p.name);
        const homes = info.anyCounty.get(form) ?? [];
        homes.push({ county: p.name, prefecture });
        info.anyCounty.set(form, homes);
      }
    }
  }

  province(value: string): string | null {
    return this.provinceForms.get(value) ?? null;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

let catalogue: PlaceCatalogue | null = null;

/** Every place chinaPlaces() knows, enumerated through its public lookup (codes keep it exact). */
function places(): PlaceCatalogue {
  if (catalogue) return catalogue;
  const index = chinaPlaces();
  const all: Place[] = [];
  for (const list of [areaList.province_list, areaList.city_list, areaList.county_list]) {
    for (const [code, name] of Object.entries(list)) {
      const place = index.lookup(name).find((p) => p.code === code);
      if (place) all.push(place);
    }
  }
  catalogue = new PlaceCatalogue(all);
  return catalogue;
}

/** Levenshtein distance over code points. */
function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[y.length] ?? 0;
}

/** A place name without its level (兰州市 → 兰州, 甘肃省 → 甘肃), for comparing names. */
const bare = (name: string) => name.replace(/(省|市|自治区|自治州|自治县|州|地区|盟|县|区|旗)$/, '') || name;

function likeness(value: string, candidate: string): number {
  const chars = new Set(value);
  const other = new Set(candidate);
  const common = [...chars].filter((c) => other.has(c));
  if (!common.some((c) => !GENERIC_CHARS.has(c))) return 0;
  const share = common.length / new Set([...chars, ...other]).size;
  const similarity = 1 - editDistance(value, candidate) / Math.max([...value].length, [...candidate].length);
  return (share + similarity) / 2;
}

/**
 * The candidate closest to `value` (兰洲市 → 兰州市, 甘粛 → 甘肃省), or null when none is close: by
 * edit distance and the share of characters in common, with and without the level suffix, never on
 * generic characters alone (市, 县).
 */
export function closestName(value: string, candidates: readonly string[]): string | null {
  let best: { name: string; score: number } | null = null;
  for (const candidate of candidates) {
    const score = Math.max(likeness(value, candidate), likeness(bare(value), bare(candidate)));
    if (score >= 0.4 && (!best || score > best.score)) best = { name: candidate, score };
  }
  return best?.name ?? null;
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface Sheet {
  /** Rows with their Excel row number; cells as text. */
  readonly rows: readonly { readonly row: number; readonly cells: readonly string[] }[];
}

interface Decoded {
  readonly text: string;
  readonly encoding: string;
}

const NOT_A_ROSTER =
  'wrong encoding or not a roster file: expected CSV (UTF-8 or GBK/GB18030) or XLSX with a header row such as 省份,市州,单位名称';

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function isOle(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** The readings worth trying, most likely first. */
function textCandidates(bytes: Uint8Array): Decoded[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return [{ text: buf.subarray(3).toString('utf8'), encoding: 'UTF-8 with BOM' }];
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return [{ text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' }];
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return [{ text: iconv.decode(buf.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' }];
  const out: Decoded[] = [];
  try {
    out.push({ text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'UTF-8' });
  } catch {
    // Not UTF-8: GB18030 below.
  }
  out.push({ text: iconv.decode(buf, 'gb18030'), encoding: 'GB18030' });
  return out;
}

/** Comma unless the first line has more tabs or semicolons (Excel's "Unicode text" is tab-separated). */
function delimiterOf(text: string): string {
  const first = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((d) => [d, first.split(d).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}

function csvSheet(text: string): Sheet {
  const records = parse(text, {
    delimiter: delimiterOf(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
  }) as string[][];
  // Excel numbers CSV records, not physical lines: record i is row i + 1.
  return { rows: records.map((cells, i) => ({ row: i + 1, cells })) };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : cellText(value.text);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'object' && result !== null && 'error' in result) return String(result.error);
    return cellText(result as ExcelJS.CellValue);
  }
  if ('error' in value) return String(value.error);
  return '';
}

async function xlsxSheet(bytes: Uint8Array): Promise<Sheet> {
  // Loaded on first use only (~0.5 s and ~25 MB): only roster imports read XLSX.
  const { default: lib } = await import('exceljs');
  const workbook = new lib.Workbook();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no worksheet');
  const rows: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(cellText(row.getCell(c).value));
    rows.push({ row: rowNumber, cells });
  });
  return { rows };
}

// ---------------------------------------------------------------------------------------------
// Header

interface Header {
  readonly row: number;
  /** field → 0-based column index. */
  readonly columns: ReadonlyMap<RosterField, number>;
  /** 0-based column index → header text as written. */
  readonly labels: readonly string[];
  readonly errors: readonly RowError[];
}

const isBlankRow = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** The header: among the first 10 non-empty rows, the first with the most recognised columns. */
function findHeader(sheet: Sheet): Header | null {
  let best: { row: number; cells: readonly string[]; count: number } | null = null;
  let seen = 0;
  for (const r of sheet.rows) {
    if (isBlankRow(r.cells)) continue;
    const count = new Set(r.cells.map((c) => HEADER_INDEX.get(headerKey(c))).filter(Boolean)).size;
    if (count > (best?.count ?? 0)) best = { row: r.row, cells: r.cells, count };
    if (++seen >= 10) break;
  }
  if (!best) return null;
  const columns = new Map<RosterField, number>();
  const errors: RowError[] = [];
  const labels = best.cells.map((c) => c.trim());
  best.cells.forEach((cell, i) => {
    const field = HEADER_INDEX.get(headerKey(cell));
    if (!field) return;
    const previous = columns.get(field);
    if (previous !== undefined) {
      errors.push({
        row: best.row,
        column: labels[i] ?? null,
        message: `column ${labels[i]} (${columnLetter(i)}) repeats column ${labels[previous]} (${columnLetter(previous)}); keep one`,
      });
      return;
    }
    columns.set(field, i);
  });
  const missing = REQUIRED.filter((f) => !columns.has(f));
  if (missing.length) {
    errors.push({
      row: best.row,
      column: null,
      message: `missing required column${missing.length > 1 ? 's' : ''}: ${missing
        .map((f) => `${HEADER_NAMES[f][0]} (${f})`)
        .join(', ')}`,
    });
  }
  return { row: best.row, columns, labels, errors };
}

// ---------------------------------------------------------------------------------------------
// Values

const CONTROL = /[\p{Cc}\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;
/** A cell export protected against formula injection: '=..., '+..., '-..., '@... */
const ESCAPED = /^'+[=+\-@]/;
const PHONE = /^[0-9 +\-()转]*$/;

const KIND_WORDS: ReadonlyMap<string, UnitKind> = new Map([
  ...['学校', '中小学', '中小学校', '中学', '小学', 'school'].map((w) => [w, 'school'] as const),
  ...['高校', '大学', '高等学校', 'university'].map((w) => [w, 'university'] as const),
  ...['校外机构', '科技馆', '校外', 'outofschool', 'out_of_school'].map((w) => [w, 'out_of_school'] as const),
]);

const YES = new Set(['是', 'true', '1', 'yes', 'y', '√']);
const NO = new Set(['否', 'false', '0', 'no', 'n', '×']);

/** The kind a name suggests: 大学 → university; 科技馆, 博物馆, 活动中心, 公司, 集团 → out of school. */
export function inferKind(name: string): UnitKind {
  if (/(中学|小学|学校|幼儿园|附中|附小)$/.test(name)) return 'school';
  if (/(科技馆|博物馆|活动中心|少年宫|公司|集团|研究所|研究院|科学院|科普基地)/.test(name))
    return 'out_of_school';
  if (/(大学|学院)/.test(name)) return 'university';
  return 'school';
}

/** Reads one cell: export's apostrophe dropped, NFKC, trimmed; errors for control characters. */
function cleanCell(raw: string): { value: string } | { error: string } {
  const trimmed = raw.trim();
  const bad = CONTROL.exec(trimmed);
  if (bad) {
    const code = bad[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
    return { error: `contains a control or invisible character (U+${code})` };
  }
  const unescaped = ESCAPED.test(trimmed) ? trimmed.slice(1) : trimmed;
  return { value: unescaped.normalize('NFKC').trim() };
}

const length = (s: string) => [...s].length;

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Reads and validates a roster file. Never throws for a bad file: every problem is returned,
 * numbered by the row Excel shows.
 */
export async function readRosterFile(bytes: Uint8Array, fileName: string): Promise<RosterReadResult> {
  const fail = (message: string): RosterReadResult => ({
    ok: false,
    errors: [{ row: null, column: null, message }],
  });
  if (bytes.byteLength === 0) return fail('the file is empty');
  if (bytes.byteLength > MAX_FILE_BYTES)
    return fail(`the file is too large (${bytes.byteLength} bytes; at most ${MAX_FILE_BYTES})`);
  if (isOle(bytes))
    return fail('this is an old Excel (.xls) or other Office 97-2003 file: save it as .xlsx or CSV');

  const xlsx = isZip(bytes) || /\.xlsx$/i.test(fileName);
  if (xlsx) {
    let sheet: Sheet;
    try {
      // Sizes and rows are checked on the compressed archive before exceljs unpacks anything: a
      // header within the first 10 rows, then at most MAX_DATA_ROWS (blank rows count, too).
      await checkXlsxArchive(bytes, MAX_DATA_ROWS + 10);
      sheet = await xlsxSheet(bytes);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof XlsxLimitError) return fail(`refusing the XLSX workbook: ${reason}`);
      return fail(`cannot read the XLSX workbook: it is corrupt, truncated or not an XLSX file (${reason})`);
    }
    const header = findHeader(sheet);
    if (!header) return fail('the first worksheet is empty');
    if (!header.columns.size) return fail(NOT_A_ROSTER);
    return validate(sheet, header, fileName, 'xlsx', 'XLSX');
  }

  let firstFailure: RosterReadResult | null = null;
  for (const candidate of textCandidates(bytes)) {
    if (candidate.text.includes('\ufffd') || candidate.text.includes('\u0000')) continue;
    if (candidate.text.trim() === '') return fail('the file is empty');
    let sheet: Sheet;
    try {
      sheet = csvSheet(candidate.text);
    } catch (err) {
      firstFailure ??= fail(`cannot read the CSV: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const header = findHeader(sheet);
    if (!header?.columns.size) continue;
    return validate(sheet, header, fileName, 'csv', candidate.encoding);
  }
  return firstFailure ?? fail(NOT_A_ROSTER);
}

function validate(
  sheet: Sheet,
  header: Header,
  fileName: string,
  format: 'csv' | 'xlsx',
  encoding: string,
): RosterReadResult {
  if (header.errors.length) return { ok: false, errors: header.errors };
  const dataRows = sheet.rows.filter((r) => r.row > header.row && !isBlankRow(r.cells));
  if (dataRows.length > MAX_DATA_ROWS) {
    return {
      ok: false,
      errors: [
        {
          row: null,
          column: null,
          message: `the file is too large: ${dataRows.length} data rows (at most ${MAX_DATA_ROWS})`,
        },
      ],
    };
  }
  if (!dataRows.length)
    return {
      ok: false,
      errors: [{ row: null, column: null, message: 'the file has a header but no data rows' }],
    };

  const catalogue = places();
  const errors: RowError[] = [];
  const units: FileUnit[] = [];
  const cities = new Map<string, FileCity & { pilotRow: number | null }>();
  const provinces: string[] = [];
  const seen = new Map<string, number>();
  const label = (f: RosterField) => header.labels[header.columns.get(f) ?? -1] ?? f;

  for (const { row, cells } of dataRows) {
    const rowErrors: RowError[] = [];
    const failed = new Set<RosterField>();
    const problem = (field: RosterField, message: string) => {
      failed.add(field);
      rowErrors.push({ row, column: label(field), message });
    };
    const read = (field: RosterField, max: number): string | null | undefined => {
      const index = header.columns.get(field);
      if (index === undefined) return undefined;
      const cleaned = cleanCell(cells[index] ?? '');
      if ('error' in cleaned) {
        problem(field, cleaned.error);
        return null;
      }
      if (length(cleaned.value) > max) {
        problem(field, `is too long (${length(cleaned.value)} characters; at most ${max})`);
        return null;
      }
      return cleaned.value || null;
    };

    const provinceText = read('province', MAX_FIELD_LENGTH);
    const prefectureText = read('prefecture', MAX_FIELD_LENGTH);
    const name = read('name', MAX_NAME_LENGTH);
    const kindText = read('kind', MAX_FIELD_LENGTH);
    const countyText = read('county', MAX_FIELD_LENGTH);
    const contactPerson = read('contactPerson', MAX_FIELD_LENGTH);
    const contactPhone = read('contactPhone', MAX_PHONE_LENGTH);
    const pilotText = read('pilotCity', MAX_FIELD_LENGTH);

    let province: string | null = null;
    if (provinceText) {
      province = catalogue.province(provinceText);
      if (!province) {
        const guess = closestName(provinceText, catalogue.provinceNames);
        problem('province', `unknown province ${provinceText}${guess ? ` — did you mean ${guess}?` : ''}`);
      }
    } else if (!failed.has('province')) {
      problem('province', 'the province is missing');
    }

    let prefecture: string | null = null;
    const info = province ? catalogue.provinces.get(province) : undefined;
    if (!prefectureText) {
      if (!failed.has('prefecture')) problem('prefecture', 'the prefecture is missing');
    } else if (info) {
      const resolved = resolvePrefecture(prefectureText, info, catalogue);
      if ('error' in resolved) problem('prefecture', resolved.error);
      else prefecture = resolved.name;
    }

    let county: string | null | undefined = countyText === undefined ? undefined : null;
    if (countyText && prefecture && info) {
      const resolved = resolveCounty(countyText, prefecture, info);
      if ('error' in resolved) problem('county', resolved.error);
      else county = resolved.name;
    }

    let kind: UnitKind | null = null;
    if (kindText) {
      kind = KIND_WORDS.get(kindText.toLowerCase().replace(/[\s-]+/g, '')) ?? null;
      if (!kind)
        problem(
          'kind',
          `unknown kind ${kindText}: use 学校 (school), 高校 (university) or 校外机构 (out_of_school)`,
        );
    }

    if (contactPhone && !PHONE.test(contactPhone))
      problem('contactPhone', `phone ${contactPhone} may contain only digits, spaces, + - ( ) and 转`);

    let pilotCity: boolean | null = null;
    if (pilotText) {
      const key = pilotText.toLowerCase();
      pilotCity = YES.has(key) ? true : NO.has(key) ? false : null;
      if (pilotCity === null) problem('pilotCity', `pilot city must be 是 or 否 (got ${pilotText})`);
    }

    // A row naming only a city and whether it is a pilot city declares the city (export writes
    // one for a prefecture without units).
    const cityOnly = !name && !kindText && !countyText && !contactPerson && !contactPhone && !!pilotText;
    if (!name && !cityOnly && !failed.has('name')) problem('name', 'the unit name is missing');

    if (name && province) {
      const key = `${province}\u0000${name}`;
      const first = seen.get(key);
      if (first !== undefined) problem('name', `duplicate unit ${name}: rows ${first} and ${row}`);
      else seen.set(key, row);
    }

    if (province && prefecture) {
      const cityKey = `${province}\u0000${prefecture}`;
      const city = cities.get(cityKey);
      if (!city) {
        cities.set(cityKey, {
          row,
          province,
          name: prefecture,
          pilotCity,
          pilotRow: pilotCity === null ? null : row,
        });
      } else if (pilotCity !== null) {
        if (city.pilotCity === null) cities.set(cityKey, { ...city, pilotCity, pilotRow: row });
        else if (city.pilotCity !== pilotCity)
          problem(
            'pilotCity',
            `${prefecture} is marked ${pilotCity ? '是' : '否'} here but ${city.pilotCity ? '是' : '否'} on row ${city.pilotRow}`,
          );
      }
    }

    if (rowErrors.length) {
      errors.push(...rowErrors);
      continue;
    }
    if (province && !provinces.includes(province)) provinces.push(province);
    if (!name || !province || !prefecture) continue;
    units.push({
      row,
      province,
      prefecture,
      name,
      kind,
      inferredKind: inferKind(name),
      county,
      countyInput: countyText === undefined ? undefined : countyText,
      contactPerson,
      contactPhone,
    });
  }

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    roster: {
      fileName,
      format,
      encoding,
      columns: [...header.columns.keys()],
      provinces,
      cities: [...cities.values()].map(({ pilotRow: _pilotRow, ...city }) => city),
      units,
      dataRows: dataRows.length,
    },
  };
}

function single(set: Set<string> | undefined): string | null {
  return set && set.size === 1 ? ([...set][0] ?? null) : null;
}

function resolvePrefecture(
  text: string,
  info: ProvincePlaces,
  catalogue: PlaceCatalogue,
): { name: string } | { error: string } {
  const direct = info.prefectureForms.get(text);
  const stripped = stripProvince(text, info.name);
  const hit = direct ?? (stripped ? info.prefectureForms.get(stripped) : undefined);
  const name = single(hit);
  if (name) return { name };
  if (hit && hit.size > 1) return { error: `${text} is ambiguous in ${info.name}: ${[...hit].join(' or ')}` };
  const county = single(new Set(info.anyCounty.get(text)?.map((c) => c.prefecture)));
  if (county)
    return {
      error: `${text} is a county of ${county}, not a prefecture: put ${county} in 市州 and ${text} in 县区`,
    };
  const elsewhere = catalogue.prefectureHome.get(text);
  if (elsewhere?.size)
    return { error: `${text} is a prefecture of ${[...elsewhere].join(' / ')}, not of ${info.name}` };
  const guess = closestName(text, info.prefectureNames);
  return { error: `unknown prefecture ${text} in ${info.name}${guess ? ` — did you mean ${guess}?` : ''}` };
}

function resolveCounty(
  text: string,
  prefecture: string,
  info: ProvincePlaces,
): { name: string } | { error: string } {
  const forms = info.countyForms.get(prefecture);
  const hit = forms?.get(text) ?? forms?.get(stripProvince(text, info.name) ?? '');
  const name = single(hit);
  if (name) return { name };
  // A county-level city standing as its own prefecture (济源市) may repeat itself as the county.
  if (info.prefectureForms.get(text)?.has(prefecture) && !info.countyForms.get(prefecture)?.size)
    return { name: prefecture };
  if (hit && hit.size > 1)
    return { error: `${text} is ambiguous in ${prefecture}: ${[...hit].join(' or ')}` };
  const homes = info.anyCounty.get(text);
  if (homes?.length) {
    const where = [...new Set(homes.map((h) => h.prefecture))].join(' / ');
    return { error: `${text} is in ${where}, not in ${prefecture}` };
  }
  const names = [...new Set([...(forms?.values() ?? [])].flatMap((s) => [...s]))];
  const guess = closestName(text, names);
  return { error: `unknown county ${text} in ${prefecture}${guess ? ` — did you mean ${guess}?` : ''}` };
}

/** 甘肃省兰州市 → 兰州市 (and 甘肃兰州 → 兰州); null when the text does not start with the province. */
function stripProvince(text: string, province: string): string | null {
  for (const form of placeForms(province, 'province')) {
    if (text.startsWith(form) && text.length > form.length) return text.slice(form.length);
  }
  return null;
}

/** The canonical name of a province from any of its forms (甘肃 → 甘肃省), or null. */
export function canonicalProvince(text: string): string | null {
  return places().province(text.normalize('NFKC').trim());
}
