import { csvSheet, isOle, isZip, type Sheet, textCandidates, xlsxSheet } from './roster-file/decode.js';
import { findHeader } from './roster-file/header.js';
import { fileError, MAX_DATA_ROWS, MAX_FILE_BYTES, type RosterReadResult } from './roster-file/model.js';
import { validate } from './roster-file/validate.js';
import { checkXlsxArchive, XlsxLimitError } from './xlsx-guard.js';

/**
 * Reading a roster file as coordinators have them: CSV in UTF-8 (with or without BOM), GBK/GB18030
 * (what Excel on a Chinese Windows saves) or UTF-16 ("Unicode text"), or the first worksheet of an
 * XLSX workbook; headers in Chinese or English, in any order. Every row is checked against the
 * places of China; all problems are collected, numbered by row as Excel shows them (header = 1).
 * Pure: no database here (see roster-import.ts for the diff and the write).
 *
 * The parts: roster-file/decode.ts (bytes → sheet), header.ts (columns), cells.ts (cell rules),
 * place-cells.ts (places, through domain/places), validate.ts (the rows), model.ts (the result).
 */

export { inferKind } from './roster-file/cells.js';
export type {
  FileCity,
  FileUnit,
  ParsedRoster,
  RosterField,
  RosterReadResult,
  RowError,
} from './roster-file/model.js';

const NOT_A_ROSTER =
  'wrong encoding or not a roster file: expected CSV (UTF-8 or GBK/GB18030) or XLSX with a header row such as 省份,市州,单位名称';

/**
 * Reads and validates a roster file. Never throws for a bad file: every problem is returned,
 * numbered by the row Excel shows.
 */
export async function readRosterFile(bytes: Uint8Array, fileName: string): Promise<RosterReadResult> {
  if (bytes.byteLength === 0) return fileError('the file is empty');
  if (bytes.byteLength > MAX_FILE_BYTES)
    return fileError(`the file is too large (${bytes.byteLength} bytes; at most ${MAX_FILE_BYTES})`);
  if (isOle(bytes))
    return fileError('this is an old Excel (.xls) or other Office 97-2003 file: save it as .xlsx or CSV');
  if (isZip(bytes) || /\.xlsx$/i.test(fileName)) return readXlsx(bytes, fileName);
  return readCsv(bytes, fileName);
}

async function readXlsx(bytes: Uint8Array, fileName: string): Promise<RosterReadResult> {
  let sheet: Sheet;
  try {
    // Sizes and rows are checked on the compressed archive before exceljs unpacks anything: a
    // header within the first 10 rows, then at most MAX_DATA_ROWS (blank rows count, too).
    await checkXlsxArchive(bytes, MAX_DATA_ROWS + 10);
    sheet = await xlsxSheet(bytes);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof XlsxLimitError) return fileError(`refusing the XLSX workbook: ${reason}`);
    return fileError(
      `cannot read the XLSX workbook: it is corrupt, truncated or not an XLSX file (${reason})`,
    );
  }
  const header = findHeader(sheet);
  if (!header) return fileError('the first worksheet is empty');
  if (!header.columns.size) return fileError(NOT_A_ROSTER);
  return validate(sheet, header, { fileName, format: 'xlsx', encoding: 'XLSX' });
}

/** Each plausible text encoding in turn: the first whose text has a roster header is the one. */
function readCsv(bytes: Uint8Array, fileName: string): RosterReadResult {
  let firstFailure: RosterReadResult | null = null;
  for (const candidate of textCandidates(bytes)) {
    if (candidate.text.includes('\ufffd') || candidate.text.includes('\u0000')) continue;
    if (candidate.text.trim() === '') return fileError('the file is empty');
    let sheet: Sheet;
    try {
      sheet = csvSheet(candidate.text);
    } catch (err) {
      firstFailure ??= fileError(`cannot read the CSV: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const header = findHeader(sheet);
    if (!header?.columns.size) continue;
    return validate(sheet, header, { fileName, format: 'csv', encoding: candidate.encoding });
  }
  return firstFailure ?? fileError(NOT_A_ROSTER);
}
