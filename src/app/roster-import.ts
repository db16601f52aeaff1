import { placeForms } from '../domain/places/forms.js';
import type { AuditPort, RosterPort, RosterRecordsPort, RosterWrite, TransactionPort } from './ports.js';
import { computeDiff } from './roster-diff.js';
import type { ImportOutcome, ProvinceDiff, RosterDiff, UnitFieldName } from './roster-diff-types.js';
import { type ParsedRoster, type RosterReadResult, readRosterFile } from './roster-file.js';

/** What a roster import reads and writes. */
export interface RosterImportPorts {
  readonly roster: Pick<RosterPort, 'bumpVersion'>;
  readonly rosterRecords: RosterRecordsPort;
  readonly audit: Pick<AuditPort, 'record'>;
  readonly tx: Pick<TransactionPort, 'transaction'>;
}

export interface ImportOptions {
  readonly apply?: boolean;
  readonly prune?: boolean;
  readonly actorId?: number | null;
  readonly channel?: 'cli' | 'telegram';
}

/** What would change if the file were applied. Reads each province of the file once. */
export function diffRoster(
  ports: Pick<RosterImportPorts, 'rosterRecords'>,
  parsed: ParsedRoster,
  opts: { prune?: boolean } = {},
): RosterDiff {
  const stored = ports.rosterRecords.records(parsed.provinces);
  return computeDiff({ ...stored, dependents: ports.rosterRecords.dependents() }, parsed, opts);
}

const COLUMN: Record<UnitFieldName, 'prefecture' | 'kind' | 'county' | 'contactPerson' | 'contactPhone'> = {
  prefecture: 'prefecture',
  kind: 'kind',
  county: 'county',
  contact_person: 'contactPerson',
  contact_phone: 'contactPhone',
};

/** The store writes of one province's diff. */
function writesOf(p: ProvinceDiff): RosterWrite {
  return {
    province: p.province,
    addCities: p.cities.added.map((c) => ({
      name: c.name,
      shortNames: placeForms(c.name, 'prefecture').filter((f) => f !== c.name),
      pilotCity: c.pilotCity,
    })),
    setPilotCity: p.cities.changed.map((c) => ({ name: c.name, pilotCity: c.pilotCity.to })),
    addUnits: p.units.added.map((u) => ({
      prefecture: u.prefecture,
      name: u.name,
      kind: u.kind,
      county: u.county,
      contactPerson: u.contactPerson,
      contactPhone: u.contactPhone,
    })),
    changeUnits: p.units.changed.map((u) => ({
      id: u.id,
      set: Object.fromEntries(u.changes.map((c) => [COLUMN[c.field], c.to])),
    })),
    removeUnitIds: p.units.removed.map((u) => u.id),
    removeCities: p.cities.removed.map((c) => c.name),
  };
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
  ports: RosterImportPorts,
  parsed: ParsedRoster,
  opts: Omit<ImportOptions, 'apply'> = {},
): RosterDiff {
  return ports.tx.transaction(
    () => {
      const diff = diffRoster(ports, parsed, opts);
      if (diff.empty) return diff;
      for (const p of diff.provinces) ports.rosterRecords.write(writesOf(p));
      ports.roster.bumpVersion();
      const counts = auditCounts(diff);
      const names = (f: (p: ProvinceDiff) => readonly { name: string }[]) =>
        diff.provinces.flatMap((p) => f(p).map((x) => x.name));
      ports.audit.record({
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
      });
      return diff;
    },
    { immediate: true },
  );
}

/**
 * Reads, validates and diffs a roster file against the database; with `apply`, writes it. A file
 * with any invalid row is rejected whole and the database is left untouched.
 */
export async function importRoster(
  ports: RosterImportPorts,
  bytes: Uint8Array,
  fileName: string,
  opts: ImportOptions = {},
): Promise<ImportOutcome> {
  const read: RosterReadResult = await readRosterFile(bytes, fileName);
  if (!read.ok) return { ok: false, errors: read.errors, diff: null, applied: false, file: null };
  const { roster } = read;
  const file = { name: fileName, format: roster.format, encoding: roster.encoding, rows: roster.dataRows };
  if (!opts.apply)
    return { ok: true, errors: [], diff: diffRoster(ports, roster, opts), applied: false, file };
  const diff = applyRoster(ports, roster, opts);
  return { ok: true, errors: [], diff, applied: !diff.empty, file };
}
