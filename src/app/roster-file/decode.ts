import type ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { lazyRequire } from '../../lazy-require.js';

/**
 * Roster file bytes as a sheet of text cells: CSV in UTF-8 (with or without BOM), GBK/GB18030
 * (what Excel on a Chinese Windows saves) or UTF-16 ("Unicode text"), or the first worksheet of an
 * XLSX workbook. Rows keep the number Excel shows them under.
 */

export interface Sheet {
  /** Rows with their Excel row number; cells as text. */
  readonly rows: readonly { readonly row: number; readonly cells: readonly string[] }[];
}

export interface Decoded {
  readonly text: string;
  readonly encoding: string;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function isOle(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** The readings worth trying, most likely first. */
export function textCandidates(bytes: Uint8Array): Decoded[] {
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

export function csvSheet(text: string): Sheet {
  // Loaded on first use: only roster imports read CSV.
  const { parse } = lazyRequire('csv-parse/sync') as typeof import('csv-parse/sync');
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

export async function xlsxSheet(bytes: Uint8Array): Promise<Sheet> {
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
