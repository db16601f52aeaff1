import type { UnitKind } from '../../domain/roster.js';
import { type Checked, cleanCell, inferKind, kindCell, length, phoneError, pilotCell } from './cells.js';
import type { Sheet } from './decode.js';
import { columnLabel, type Header, isBlankRow } from './header.js';
import {
  type FileCity,
  type FileUnit,
  fileError,
  MAX_DATA_ROWS,
  MAX_FIELD_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PHONE_LENGTH,
  type ParsedRoster,
  type RosterField,
  type RosterReadResult,
  type RowError,
} from './model.js';
import { countyCell, prefectureCell, provinceCell } from './place-cells.js';

/**
 * Checking every data row of a sheet under its header: each row's cells, its places against the
 * places of China, then what rows say together (a unit listed twice, a city marked both 是 and 否).
 * All problems are collected; a file with any is refused as a whole.
 */

type Source = Pick<ParsedRoster, 'fileName' | 'format' | 'encoding'>;
type DataRow = Sheet['rows'][number];

export function validate(sheet: Sheet, header: Header, source: Source): RosterReadResult {
  if (header.errors.length) return { ok: false, errors: header.errors };
  const dataRows = sheet.rows.filter((r) => r.row > header.row && !isBlankRow(r.cells));
  if (dataRows.length > MAX_DATA_ROWS)
    return fileError(`the file is too large: ${dataRows.length} data rows (at most ${MAX_DATA_ROWS})`);
  if (!dataRows.length) return fileError('the file has a header but no data rows');
  const file = new FileCheck();
  for (const r of dataRows) checkRow(r, header, file);
  if (file.errors.length) return { ok: false, errors: file.errors };
  return {
    ok: true,
    roster: {
      ...source,
      columns: [...header.columns.keys()],
      provinces: file.provinces,
      cities: file.cities(),
      units: file.units,
      dataRows: dataRows.length,
    },
  };
}

/** One row, step by step; its unit joins the file only when the row has no problem. */
function checkRow({ row, cells }: DataRow, header: Header, file: FileCheck): void {
  const check = new RowCheck(row, cells, header);
  const text = readCells(check);
  const { province, prefecture, county } = resolvePlaces(text, check);
  const { kind, pilotCity } = checkValues(text, check);
  checkName(text, check);
  if (text.name && province) file.noteName(text.name, province, check);
  if (province && prefecture) file.noteCity(province, prefecture, pilotCity, check);
  if (check.errors.length) {
    file.errors.push(...check.errors);
    return;
  }
  if (province && !file.provinces.includes(province)) file.provinces.push(province);
  if (!text.name || !province || !prefecture) return;
  file.units.push({
    row,
    province,
    prefecture,
    name: text.name,
    kind,
    inferredKind: inferKind(text.name),
    county,
    countyInput: text.county === undefined ? undefined : text.county,
    contactPerson: text.contactPerson,
    contactPhone: text.contactPhone,
  });
}

/** The cells of one row and the problems found in them, each under its column's header. */
class RowCheck {
  readonly errors: RowError[] = [];
  private readonly failed = new Set<RosterField>();

  constructor(
    readonly row: number,
    private readonly cells: readonly string[],
    private readonly header: Header,
  ) {}

  problem(field: RosterField, message: string): void {
    this.failed.add(field);
    this.errors.push({ row: this.row, column: columnLabel(this.header, field), message });
  }

  /** Whether a problem was already found in the field's cell (then "missing" is not said too). */
  hasFailed(field: RosterField): boolean {
    return this.failed.has(field);
  }

  /** A cleaned cell: undefined when the column is absent, null when blank or refused. */
  read(field: RosterField, max: number): string | null | undefined {
    const index = this.header.columns.get(field);
    if (index === undefined) return undefined;
    const cleaned = this.check(field, cleanCell(this.cells[index] ?? ''));
    if (cleaned === null) return null;
    if (length(cleaned) > max) {
      this.problem(field, `is too long (${length(cleaned)} characters; at most ${max})`);
      return null;
    }
    return cleaned || null;
  }

  /** A rule's value, or null once its refusal is noted. */
  check<T>(field: RosterField, result: Checked<T>): T | null {
    if ('value' in result) return result.value;
    this.problem(field, result.error);
    return null;
  }
}

type RowText = { readonly [F in RosterField]: string | null | undefined };

function readCells(check: RowCheck): RowText {
  return {
    province: check.read('province', MAX_FIELD_LENGTH),
    prefecture: check.read('prefecture', MAX_FIELD_LENGTH),
    name: check.read('name', MAX_NAME_LENGTH),
    kind: check.read('kind', MAX_FIELD_LENGTH),
    county: check.read('county', MAX_FIELD_LENGTH),
    contactPerson: check.read('contactPerson', MAX_FIELD_LENGTH),
    contactPhone: check.read('contactPhone', MAX_PHONE_LENGTH),
    pilotCity: check.read('pilotCity', MAX_FIELD_LENGTH),
  };
}

/** Province, then prefecture within it, then county within that; each needs the level above. */
function resolvePlaces(text: RowText, check: RowCheck) {
  let province: string | null = null;
  if (text.province) province = check.check('province', provinceCell(text.province));
  else if (!check.hasFailed('province')) check.problem('province', 'the province is missing');

  let prefecture: string | null = null;
  if (!text.prefecture) {
    if (!check.hasFailed('prefecture')) check.problem('prefecture', 'the prefecture is missing');
  } else if (province) {
    prefecture = check.check('prefecture', prefectureCell(text.prefecture, province));
  }

  let county: string | null | undefined = text.county === undefined ? undefined : null;
  if (text.county && prefecture && province) {
    const resolved = check.check('county', countyCell(text.county, prefecture, province));
    if (resolved !== null) county = resolved;
  }
  return { province, prefecture, county };
}

function checkValues(text: RowText, check: RowCheck): { kind: UnitKind | null; pilotCity: boolean | null } {
  const kind = text.kind ? check.check('kind', kindCell(text.kind)) : null;
  const phone = text.contactPhone ? phoneError(text.contactPhone) : null;
  if (phone) check.problem('contactPhone', phone);
  const pilotCity = text.pilotCity ? check.check('pilotCity', pilotCell(text.pilotCity)) : null;
  return { kind, pilotCity };
}

/**
 * A unit row needs a name. A row naming only a city and whether it is a pilot city declares the
 * city (export writes one for a prefecture without units).
 */
function checkName(text: RowText, check: RowCheck): void {
  const cityOnly =
    !text.name && !text.kind && !text.county && !text.contactPerson && !text.contactPhone && !!text.pilotCity;
  if (!text.name && !cityOnly && !check.hasFailed('name')) check.problem('name', 'the unit name is missing');
}

/** What the rows say together: units (once each per province), cities and their pilot marks. */
class FileCheck {
  readonly errors: RowError[] = [];
  readonly units: FileUnit[] = [];
  readonly provinces: string[] = [];
  private readonly seen = new Map<string, number>();
  private readonly cityMarks = new Map<string, FileCity & { pilotRow: number | null }>();

  noteName(name: string, province: string, check: RowCheck): void {
    const key = `${province}\u0000${name}`;
    const first = this.seen.get(key);
    if (first !== undefined) check.problem('name', `duplicate unit ${name}: rows ${first} and ${check.row}`);
    else this.seen.set(key, check.row);
  }

  noteCity(province: string, prefecture: string, pilotCity: boolean | null, check: RowCheck): void {
    const { row } = check;
    const cityKey = `${province}\u0000${prefecture}`;
    const city = this.cityMarks.get(cityKey);
    if (!city) {
      this.cityMarks.set(cityKey, {
        row,
        province,
        name: prefecture,
        pilotCity,
        pilotRow: pilotCity === null ? null : row,
      });
    } else if (pilotCity !== null) {
      if (city.pilotCity === null) this.cityMarks.set(cityKey, { ...city, pilotCity, pilotRow: row });
      else if (city.pilotCity !== pilotCity)
        check.problem(
          'pilotCity',
          `${prefecture} is marked ${pilotCity ? '是' : '否'} here but ${city.pilotCity ? '是' : '否'} on row ${city.pilotRow}`,
        );
    }
  }

  cities(): FileCity[] {
    return [...this.cityMarks.values()].map(({ pilotRow: _pilotRow, ...city }) => city);
  }
}
