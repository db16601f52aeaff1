import type { RosterDependents, StoredCity, StoredUnit } from './ports.js';
import type {
  AddedCity,
  AddedUnit,
  ChangedCity,
  ChangedUnit,
  DiffTotals,
  FieldChange,
  ProvinceDiff,
  RemovedCity,
  RemovedUnit,
  RosterDiff,
} from './roster-diff-types.js';
import type { FileUnit, ParsedRoster } from './roster-file.js';

/** Computing a roster diff: pure, over what the store holds and what the file says. */

const norm = (s: string | null | undefined) => (s == null ? null : s.normalize('NFKC').trim() || null);

function countBy<K>(keys: Iterable<K>): Map<K, number> {
  const out = new Map<K, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}

/** What is stored now of the file's provinces, and what depends on it. */
export interface StoredRoster {
  readonly units: readonly StoredUnit[];
  readonly cities: readonly StoredCity[];
  readonly dependents: RosterDependents;
}

/**
 * What would change if the file were applied, from what is stored of its provinces. Units and
 * cities of a province missing from the file are removed only with `prune` (a file with the whole
 * province); by default a file adds and changes, and what it leaves out is kept.
 */
export function computeDiff(
  stored: StoredRoster,
  parsed: ParsedRoster,
  opts: { prune?: boolean } = {},
): RosterDiff {
  const prune = Boolean(opts.prune);
  const has = new Set(parsed.columns);
  const provinces = parsed.provinces;
  const { dependents } = stored;
  const storedUnits = stored.units;
  const storedCities = stored.cities;
  const unitBindings = countBy(dependents.boundUnitIds);
  const unitAcks = countBy(dependents.acknowledgedUnitIds);
  const cityBindings = countBy(dependents.boundCities);
  const cityCoordinators = countBy(dependents.coordinatorCities);
  const deadlineUnits = countBy(
    dependents.deadlineAudiences.flatMap((a) => (a.kind === 'units' ? a.unitIds : [])),
  );

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
function compare(stored: StoredUnit, f: FileUnit, has: ReadonlySet<string>): FieldChange[] {
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
