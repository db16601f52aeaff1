import type { Sheet } from './decode.js';
import type { RosterField, RowError } from './model.js';

/** The header row of a roster file: headers in Chinese or English, in any order. */

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

export interface Header {
  readonly row: number;
  /** field → 0-based column index. */
  readonly columns: ReadonlyMap<RosterField, number>;
  /** 0-based column index → header text as written. */
  readonly labels: readonly string[];
  readonly errors: readonly RowError[];
}

export const isBlankRow = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/** The header: among the first 10 non-empty rows, the first with the most recognised columns. */
export function findHeader(sheet: Sheet): Header | null {
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

/** The header text of a field's column, or the field's name when the file has no such column. */
export function columnLabel(header: Header, field: RosterField): string {
  return header.labels[header.columns.get(field) ?? -1] ?? field;
}
