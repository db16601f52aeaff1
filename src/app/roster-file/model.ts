import type { UnitKind } from '../../domain/roster.js';

/** What reading a roster file yields: its units and cities, validated and canonical, or its errors. */

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

/** The whole file refused for one reason. */
export const fileError = (message: string): RosterReadResult => ({
  ok: false,
  errors: [{ row: null, column: null, message }],
});

export const MAX_DATA_ROWS = 20_000;
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_NAME_LENGTH = 100;
export const MAX_FIELD_LENGTH = 100;
export const MAX_PHONE_LENGTH = 40;
