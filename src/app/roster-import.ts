import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { AuditStore } from '../db/audit-store.js';
import type { Db } from '../db/client.js';
import { RosterStore } from '../db/roster-store.js';
import { acknowledgements, bindings, coordinators, deadlines, prefectures, units } from '../db/schema.js';
import type { Audience } from '../domain/deadlines/deadline.js';
import { placeForms } from '../domain/places/forms.js';
import type { UnitKind } from '../domain/roster.js';
import {
  type FileUnit,
  type ParsedRoster,
  type RosterReadResult,
  type RowError,
  readRosterFile,
} from './roster-file.js';

/**
 * The difference between a roster file and the database, per province present in the file
 * (provinces absent from the file are never touched), and its application in one transaction.
 */

/** Fields compared between a file row and the stored unit, named as the database names them. */
export type UnitFieldName = 'prefecture' | 'kind' | 'county' | 'contact_person' | 'contact_phone';

export interface UnitValues {
  readonly name: string;
  readonly prefecture: string;
  readonly kind: UnitKind;
  readonly county: string | null;
  readonly contactPerson: string | null;
  readonly contactPhone: string | null;
}

export interface FieldChange {
  readonly field: UnitFieldName;
  readonly from: string | null;
  readonly to: string | null;
}

export interface ChangedUnit {
  readonly id: number;
  readonly name: string;
  readonly row: number;
  readonly changes: readonly FieldChange[];
  /** Groups bound to the unit (their prefecture follows a move). */
  readonly boundGroups: number;
}

export interface AddedUnit extends UnitValues {
  readonly row: number;
}

export interface RemovedUnit extends UnitValues {
  readonly id: number;
  /** Groups bound to the unit: they lose their binding (foreign key cascade). */
  readonly boundGroups: number;
  /** 已完成 marks of the unit: deleted with it. */
  readonly acknowledgements: number;
  /** Deadlines addressed to the unit by id: it drops out of their audience. */
  readonly deadlines: number;
}

export interface AddedCity {
  readonly name: string;
  readonly pilotCity: boolean;
}

export interface RemovedCity {
  readonly name: string;
  readonly pilotCity: boolean;
  /** City groups bound to it: they stay bound to a prefecture that is no longer in the roster. */
  readonly boundGroups: number;
  readonly coordinators: number;
}

export interface ChangedCity {
  readonly name: string;
  readonly pilotCity: { readonly from: boolean; readonly to: boolean };
}

export interface ProvinceDiff {
  readonly province: string;
  readonly before: { readonly units: number; readonly cities: number };
  readonly after: { readonly units: number; readonly cities: number };
  readonly units: {
    readonly added: readonly AddedUnit[];
    readonly changed: readonly ChangedUnit[];
    readonly removed: readonly RemovedUnit[];
    readonly unchanged: number;
  };
  readonly cities: {
    readonly added: readonly AddedCity[];
    readonly changed: readonly ChangedCity[];
    readonly removed: readonly RemovedCity[];
  };
  /** Without `prune`: stored units and cities absent from the file, which stay as they are. */
  readonly kept: { readonly units: number; readonly cities: number };
}

export interface DiffTotals {
  readonly addedUnits: number;
  readonly changedUnits: number;
  readonly removedUnits: number;
  /** Units absent from the file that stay (no `prune`). */
  readonly keptUnits: number;
  readonly addedCities: number;
  readonly changedCities: number;
  readonly removedCities: number;
  /** Unit groups that lose their binding because their unit is removed. */
  readonly lostBindings: number;
  readonly lostAcknowledgements: number;
}

export interface RosterDiff {
  readonly provinces: readonly ProvinceDiff[];
  readonly totals: DiffTotals;
  /** True when applying the file would change nothing. */
  readonly empty: boolean;
}

export interface ImportOutcome {
  readonly ok: boolean;
  readonly errors: readonly RowError[];
  readonly diff: RosterDiff | null;
  /** True when the changes were written (false for a dry run, a rejected file or no changes). */
  readonly applied: boolean;
  /** How the file was read (null when it could not be). */
  readonly file: {
    readonly name: string;
    readonly format: string;
    readonly encoding: string;
    readonly rows: number;
  } | null;
}

/** Enough of a database or a transaction to read the roster. */
type Reader = Pick<Db, 'select'>;
type Writer = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

const norm = (s: string | null | undefined) => (s == null ? null : s.normalize('NFKC').trim() || null);

function countBy(rows: readonly { key: number | null }[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of rows) if (r.key !== null) out.set(r.key, (out.get(r.key) ?? 0) + 1);
  return out;
}

/** What would change if the file were applied. Reads each province of the file once. */
/**
 * Units and cities of a province missing from the file are removed only with `prune` (a file with
 * the whole province); by default a file adds and changes, and what it leaves out is kept.
 */
export function diffRoster(db: Reader, parsed: ParsedRoster, opts: { prune?: boolean } = {}): RosterDiff {
  const prune = Boolean(opts.prune);
  const has = new Set(parsed.columns);
  const provinces = parsed.provinces;
  const storedUnits = provinces.length
    ? db
        .select()
        .from(units)
        .where(inArray(units.province, [...provinces]))
        .orderBy(asc(units.id))
        .all()
    : [];
  const storedCities = provinces.length
    ? db
        .select()
        .from(prefectures)
        .where(inArray(prefectures.province, [...provinces]))
        .orderBy(asc(prefectures.id))
        .all()
    : [];
  const unitBindings = countBy(
    db.select({ key: bindings.unitId }).from(bindings).where(isNotNull(bindings.unitId)).all(),
  );
  const unitAcks = countBy(db.select({ key: acknowledgements.unitId }).from(acknowledgements).all());
  const cityBindings = new Map<string, number>();
  for (const b of db
    .select({ prefecture: bindings.prefecture })
    .from(bindings)
    .where(eq(bindings.kind, 'city'))
    .all())
    cityBindings.set(b.prefecture, (cityBindings.get(b.prefecture) ?? 0) + 1);
  const cityCoordinators = new Map<string, number>();
  for (const c of db.select({ prefecture: coordinators.prefecture }).from(coordinators).all())
    cityCoordinators.set(c.prefecture, (cityCoordinators.get(c.prefecture) ?? 0) + 1);
  const deadlineUnits = new Map<number, number>();
  for (const d of db.select({ audience: deadlines.audience }).from(deadlines).all()) {
    const audience = d.audience as Audience;
    if (audience.kind === 'units')
      for (const id of audience.unitIds) deadlineUnits.set(id, (deadlineUnits.get(id) ?? 0) + 1);
  }

  const diffs: ProvinceDiff[] = [];
  for (const province of provinces) {
    const mine = storedUnits.filter((u) => u.province === province);
    const exact = new Map(mine.map((u) => [u.name, u]));
    const folded = new Map(mine.map((u) => [norm(u.name) ?? u.name, u]));
    const matched = new Set<number>();
    const added: AddedUnit[] = [];
    const changed: ChangedUnit[] = [];
    let unchanged = 0;

    for (const f of parsed.units) {
      if (f.province !== province) continue;
      const stored = exact.get(f.name) ?? folded.get(f.name);
      if (!stored || matched.has(stored.id)) {
        added.push(newUnit(f));
        continue;
      }
      matched.add(stored.id);
      const changes = compare(stored, f, has);
      if (changes.length)
        changed.push({
          id: stored.id,
          name: stored.name,
          row: f.row,
          changes,
          boundGroups: unitBindings.get(stored.id) ?? 0,
        });
      else unchanged++;
    }
    const missing = mine.filter((u) => !matched.has(u.id));
    const removed: RemovedUnit[] = (prune ? missing : []).map((u) => ({
      id: u.id,
      name: u.name,
      prefecture: u.prefecture,
      kind: u.kind,
      county: u.county,
      contactPerson: u.contactPerson,
      contactPhone: u.contactPhone,
      boundGroups: unitBindings.get(u.id) ?? 0,
      acknowledgements: unitAcks.get(u.id) ?? 0,
      deadlines: deadlineUnits.get(u.id) ?? 0,
    }));

    const cityRows = storedCities.filter((c) => c.province === province);
    const storedByName = new Map(cityRows.map((c) => [c.name, c]));
    const fileCities = parsed.cities.filter((c) => c.province === province);
    const fileNames = new Set(fileCities.map((c) => c.name));
    const addedCities: AddedCity[] = [];
    const changedCities: ChangedCity[] = [];
    for (const c of fileCities) {
      const stored = storedByName.get(c.name);
      if (!stored) addedCities.push({ name: c.name, pilotCity: c.pilotCity ?? false });
      else if (has.has('pilotCity') && c.pilotCity !== null && c.pilotCity !== stored.pilotCity)
        changedCities.push({ name: c.name, pilotCity: { from: stored.pilotCity, to: c.pilotCity } });
    }
    const missingCities = cityRows.filter((c) => !fileNames.has(c.name));
    const removedCities: RemovedCity[] = (prune ? missingCities : []).map((c) => ({
      name: c.name,
      pilotCity: c.pilotCity,
      boundGroups: cityBindings.get(c.name) ?? 0,
      coordinators: cityCoordinators.get(c.name) ?? 0,
    }));

    diffs.push({
      province,
      before: { units: mine.length, cities: cityRows.length },
      after: {
        units: mine.length + added.length - removed.length,
        cities: cityRows.length + addedCities.length - removedCities.length,
      },
      units: { added, changed, removed, unchanged },
      cities: { added: addedCities, changed: changedCities, removed: removedCities },
      kept: { units: missing.length - removed.length, cities: missingCities.length - removedCities.length },
    });
  }

  const sum = (f: (d: ProvinceDiff) => number) => diffs.reduce((n, d) => n + f(d), 0);
  const totals: DiffTotals = {
    addedUnits: sum((d) => d.units.added.length),
    changedUnits: sum((d) => d.units.changed.length),
    removedUnits: sum((d) => d.units.removed.length),
    keptUnits: sum((d) => d.kept.units),
    addedCities: sum((d) => d.cities.added.length),
    changedCities: sum((d) => d.cities.changed.length),
    removedCities: sum((d) => d.cities.removed.length),
    lostBindings: sum((d) => d.units.removed.reduce((n, u) => n + u.boundGroups, 0)),
    lostAcknowledgements: sum((d) => d.units.removed.reduce((n, u) => n + u.acknowledgements, 0)),
  };
  const empty =
    totals.addedUnits +
      totals.changedUnits +
      totals.removedUnits +
      totals.addedCities +
      totals.changedCities +
      totals.removedCities ===
    0;
  return { provinces: diffs, totals, empty };
}

function newUnit(f: FileUnit): AddedUnit {
  return {
    row: f.row,
    name: f.name,
    prefecture: f.prefecture,
    kind: f.kind ?? f.inferredKind,
    county: f.county ?? null,
    contactPerson: f.contactPerson ?? null,
    contactPhone: f.contactPhone ?? null,
  };
}

/**
 * Field changes from the stored unit to the file row. A column absent from the file, or a blank
 * kind, keeps what is stored; values equal after NFKC count as unchanged.
 */
function compare(stored: typeof units.$inferSelect, f: FileUnit, has: ReadonlySet<string>): FieldChange[] {
  const out: FieldChange[] = [];
  if (stored.prefecture !== f.prefecture)
    out.push({ field: 'prefecture', from: stored.prefecture, to: f.prefecture });
  if (f.kind && f.kind !== stored.kind) out.push({ field: 'kind', from: stored.kind, to: f.kind });
  if (has.has('county') && f.county !== undefined) {
    const same =
      norm(stored.county) === (f.county ?? null) || norm(stored.county) === (f.countyInput ?? null);
    if (!same) out.push({ field: 'county', from: stored.county, to: f.county });
  }
  if (
    has.has('contactPerson') &&
    f.contactPerson !== undefined &&
    norm(stored.contactPerson) !== f.contactPerson
  )
    out.push({ field: 'contact_person', from: stored.contactPerson, to: f.contactPerson });
  if (has.has('contactPhone') && f.contactPhone !== undefined && norm(stored.contactPhone) !== f.contactPhone)
    out.push({ field: 'contact_phone', from: stored.contactPhone, to: f.contactPhone });
  return out;
}

const COLUMN: Record<UnitFieldName, 'prefecture' | 'kind' | 'county' | 'contactPerson' | 'contactPhone'> = {
  prefecture: 'prefecture',
  kind: 'kind',
  county: 'county',
  contact_person: 'contactPerson',
  contact_phone: 'contactPhone',
};

const CHUNK = 500;

/** Writes a diff (computed in the same transaction). */
function writeDiff(tx: Writer, diff: RosterDiff, now: number): void {
  for (const p of diff.provinces) {
    const newCities = p.cities.added.map((c) => ({
      province: p.province,
      name: c.name,
      shortNames: placeForms(c.name, 'prefecture').filter((f) => f !== c.name),
      pilotCity: c.pilotCity,
    }));
    for (let i = 0; i < newCities.length; i += CHUNK)
      tx.insert(prefectures)
        .values(newCities.slice(i, i + CHUNK))
        .run();
    for (const c of p.cities.changed)
      tx.update(prefectures)
        .set({ pilotCity: c.pilotCity.to, updatedAt: now })
        .where(and(eq(prefectures.province, p.province), eq(prefectures.name, c.name)))
        .run();

    const newUnits = p.units.added.map((u) => ({
      province: p.province,
      prefecture: u.prefecture,
      name: u.name,
      kind: u.kind,
      county: u.county,
      aliases: [],
      contactPerson: u.contactPerson,
      contactPhone: u.contactPhone,
    }));
    for (let i = 0; i < newUnits.length; i += CHUNK)
      tx.insert(units)
        .values(newUnits.slice(i, i + CHUNK))
        .run();
    for (const u of p.units.changed) {
      const set: Partial<typeof units.$inferInsert> = { updatedAt: now };
      for (const c of u.changes) (set as Record<string, unknown>)[COLUMN[c.field]] = c.to;
      tx.update(units).set(set).where(eq(units.id, u.id)).run();
      const moved = u.changes.find((c) => c.field === 'prefecture');
      // A unit group carries its unit's prefecture: keep it in step with a move.
      if (moved?.to) tx.update(bindings).set({ prefecture: moved.to }).where(eq(bindings.unitId, u.id)).run();
    }
    const gone = p.units.removed.map((u) => u.id);
    for (let i = 0; i < gone.length; i += CHUNK)
      tx.delete(units)
        .where(inArray(units.id, gone.slice(i, i + CHUNK)))
        .run();
    const goneCities = p.cities.removed.map((c) => c.name);
    if (goneCities.length)
      tx.delete(prefectures)
        .where(and(eq(prefectures.province, p.province), inArray(prefectures.name, goneCities)))
        .run();
  }
}

function auditCounts(diff: RosterDiff) {
  return {
    before: Object.fromEntries(diff.provinces.map((p) => [p.province, p.before])),
    after: Object.fromEntries(diff.provinces.map((p) => [p.province, p.after])),
  };
}

/**
 * Applies a validated file in one transaction: the diff is computed inside it (so it is the
 * diff that gets written), the roster version bumped and one audit entry recorded. Returns the
 * diff; nothing is written when it is empty.
 */
export function applyRoster(
  db: Db,
  parsed: ParsedRoster,
  opts: { actorId?: number | null; channel?: 'cli' | 'telegram'; clock?: () => number; prune?: boolean } = {},
): RosterDiff {
  const clock = opts.clock ?? Date.now;
  const roster = new RosterStore(db);
  const audit = new AuditStore(db, clock);
  return db.transaction(
    (tx) => {
      const diff = diffRoster(tx, parsed, opts);
      if (diff.empty) return diff;
      writeDiff(tx, diff, clock());
      roster.bumpVersion(tx);
      const counts = auditCounts(diff);
      const names = (f: (p: ProvinceDiff) => readonly { name: string }[]) =>
        diff.provinces.flatMap((p) => f(p).map((x) => x.name));
      audit.record(
        {
          actorId: opts.actorId ?? null,
          channel: opts.channel ?? 'cli',
          action: 'roster.import',
          subject: `${parsed.fileName} (${parsed.provinces.join(', ')})`,
          before: { counts: counts.before },
          after: {
            file: parsed.fileName,
            counts: counts.after,
            added: names((p) => p.units.added),
            changed: diff.provinces.flatMap((p) =>
              p.units.changed.map((u) => ({ name: u.name, fields: u.changes.map((c) => c.field) })),
            ),
            removed: names((p) => p.units.removed),
            citiesAdded: names((p) => p.cities.added),
            citiesChanged: names((p) => p.cities.changed),
            citiesRemoved: names((p) => p.cities.removed),
          },
        },
        tx,
      );
      return diff;
    },
    { behavior: 'immediate' },
  );
}

/**
 * Reads, validates and diffs a roster file against the database; with `apply`, writes it. A file
 * with any invalid row is rejected whole and the database is left untouched.
 */
export async function importRoster(
  db: Db,
  bytes: Uint8Array,
  fileName: string,
  opts: {
    apply?: boolean;
    prune?: boolean;
    actorId?: number | null;
    channel?: 'cli' | 'telegram';
    clock?: () => number;
  } = {},
): Promise<ImportOutcome> {
  const read: RosterReadResult = await readRosterFile(bytes, fileName);
  if (!read.ok) return { ok: false, errors: read.errors, diff: null, applied: false, file: null };
  const { roster } = read;
  const file = { name: fileName, format: roster.format, encoding: roster.encoding, rows: roster.dataRows };
  if (!opts.apply) return { ok: true, errors: [], diff: diffRoster(db, roster, opts), applied: false, file };
  const diff = applyRoster(db, roster, opts);
  return { ok: true, errors: [], diff, applied: !diff.empty, file };
}
