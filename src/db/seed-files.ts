import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { UNIT_KINDS } from '../domain/roster.js';
import { lazyRequire } from '../lazy-require.js';

/**
 * The reviewed roster files in data/: units.csv, prefectures.csv, aliases.csv, program.json.
 * Parsed and validated here; a broken file throws with the file and row named.
 */

const unitRow = z.object({
  province: z.string().min(1),
  prefecture: z.string().min(1),
  name: z.string().min(1),
  kind: z.enum(UNIT_KINDS),
  county: z.string().transform((s) => s || null),
});

const prefectureRow = z.object({
  province: z.string().min(1),
  name: z.string().min(1),
  short_names: z.string().transform((s) => (s ? s.split('|') : [])),
  pilot_city: z.enum(['true', 'false']).transform((s) => s === 'true'),
});

const aliasRow = z.object({ name: z.string().min(1), alias: z.string().min(1), note: z.string().optional() });

const contact = z.object({
  id: z.string(),
  level: z.enum(['provincial', 'national']),
  organisation: z.string(),
  person: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  notice: z.string(),
});

const seedDeadline = z.object({
  key: z.string(),
  title: z.string(),
  submit: z.string(),
  due: z.iso.datetime({ offset: true }),
  audience: z.string(),
  source: z.string(),
});

const program = z.object({
  notices: z.array(
    z.object({ id: z.string(), number: z.string(), issuer: z.string(), date: z.string(), title: z.string() }),
  ),
  contacts: z.array(contact),
  national: z.object({ pilotCities: z.number(), pilotUnits: z.number() }),
  deadlines: z.array(seedDeadline),
});

export type SeedUnit = z.infer<typeof unitRow> & { aliases: string[] };
export type SeedPrefecture = z.infer<typeof prefectureRow>;
export type SeedProgram = z.infer<typeof program>;
export type SeedDeadline = z.infer<typeof seedDeadline>;

export interface SeedData {
  readonly units: SeedUnit[];
  readonly prefectures: SeedPrefecture[];
  readonly program: SeedProgram;
}

/** The seed files' text as read, and a fingerprint of all of it. */
export interface SeedFiles {
  readonly dataDir: string;
  readonly texts: Readonly<Record<SeedFileName, string>>;
  /** Changes whenever any seed file's content does (8 hex digits). */
  readonly fingerprint: string;
}

const SEED_FILES = ['units.csv', 'prefectures.csv', 'aliases.csv', 'program.json'] as const;
type SeedFileName = (typeof SEED_FILES)[number];

/**
 * 32-bit FNV-1a over UTF-16 code units: tells one version of the seed files from the next. Not
 * node:crypto, on purpose: initialising OpenSSL costs the idle bot ~4 MB.
 */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Reads the seed files, not yet parsing them: a start whose files were applied before stops here. */
export function readSeedFiles(dataDir: string): SeedFiles {
  const texts = Object.fromEntries(
    SEED_FILES.map((name) => [name, readFileSync(join(dataDir, name), 'utf8')]),
  ) as Record<SeedFileName, string>;
  const all = SEED_FILES.map((name) => `${name}\n${texts[name]}`).join('\n');
  return { dataDir, texts, fingerprint: fnv1a(all).toString(16).padStart(8, '0') };
}

function readCsv<T>(files: SeedFiles, name: SeedFileName, schema: z.ZodType<T>): T[] {
  const path = join(files.dataDir, name);
  // csv-parse is loaded here, not at start: a start whose seed files were applied never parses them.
  const { parse } = lazyRequire('csv-parse/sync') as typeof import('csv-parse/sync');
  const rows = parse(files.texts[name], {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  }) as unknown[];
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) {
      // Row numbers as a spreadsheet shows them: the header is row 1.
      throw new Error(`${path} row ${i + 2}: ${z.prettifyError(parsed.error)}`);
    }
    return parsed.data;
  });
}

/** Reads and validates every seed file in a data directory. */
export function readSeedData(dataDir: string): SeedData {
  return parseSeedFiles(readSeedFiles(dataDir));
}

/** Parses and validates seed files already read. */
export function parseSeedFiles(files: SeedFiles): SeedData {
  const { dataDir } = files;
  const units = readCsv(files, 'units.csv', unitRow);
  const prefectures = readCsv(files, 'prefectures.csv', prefectureRow);
  const aliases = readCsv(files, 'aliases.csv', aliasRow);
  const programData = program.parse(JSON.parse(files.texts['program.json']));
  const names = new Set(units.map((u) => u.name));
  for (const a of aliases) {
    if (!names.has(a.name)) throw new Error(`${join(dataDir, 'aliases.csv')}: unknown unit ${a.name}`);
  }
  for (const u of units) {
    if (!prefectures.some((p) => p.name === u.prefecture)) {
      throw new Error(`${join(dataDir, 'units.csv')}: unknown prefecture ${u.prefecture} for ${u.name}`);
    }
  }
  return {
    units: units.map((u) => ({
      ...u,
      aliases: aliases.filter((a) => a.name === u.name).map((a) => a.alias),
    })),
    prefectures,
    program: programData,
  };
}
