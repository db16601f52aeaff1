import { and, eq } from 'drizzle-orm';
import { type Audience, DEFAULT_OFFSETS } from '../domain/deadlines/deadline.js';
import type { Db } from './client.js';
import { RosterStore } from './roster-store.js';
import { contacts, deadlines, prefectures, seedLedger, units } from './schema.js';
import { parseSeedFiles, readSeedFiles, type SeedData } from './seed-files.js';

export interface SeedReport {
  readonly prefectures: number;
  readonly units: number;
  readonly contacts: number;
  readonly deadlines: number;
}

const SEED_AUDIENCES: Record<string, Audience> = {
  'all-units': { kind: 'all_units' },
  'pilot-cities': { kind: 'pilot_cities' },
  coordinators: { kind: 'coordinators' },
};

/** The ledger's kind for a whole set of seed files, keyed by their fingerprint. */
const FILES = 'files';

/** Whether seed files with this fingerprint were applied to `db` before (so need not be parsed). */
export function seedFilesApplied(db: Db, fingerprint: string): boolean {
  return (
    db
      .select({ key: seedLedger.key })
      .from(seedLedger)
      .where(and(eq(seedLedger.kind, FILES), eq(seedLedger.key, fingerprint)))
      .get() !== undefined
  );
}

/**
 * Applies the seed files of `dataDir` unless files with the same content were applied before:
 * then they are not even parsed (~20 ms of every start). Returns what was added, or null.
 */
export function seedFromFiles(db: Db, dataDir: string): SeedReport | null {
  const files = readSeedFiles(dataDir);
  if (seedFilesApplied(db, files.fingerprint)) return null;
  return applySeed(db, parseSeedFiles(files), files.fingerprint);
}

/**
 * Inserts the seed items not applied before, in one transaction. Idempotent: a second run adds
 * nothing, and an item a coordinator later edited or removed is left as they left it. With the
 * files' fingerprint, the same transaction records them as applied.
 */
export function applySeed(db: Db, seed: SeedData, fingerprint?: string): SeedReport {
  const store = new RosterStore(db);
  return db.transaction((tx) => {
    // The whole ledger in one query (a few hundred short rows): one query per seed item took
    // ~70 ms of every start.
    const done = new Set(
      tx
        .select({ kind: seedLedger.kind, key: seedLedger.key })
        .from(seedLedger)
        .all()
        .map((r) => `${r.kind}\n${r.key}`),
    );
    const applied = (kind: string, key: string) => done.has(`${kind}\n${key}`);
    const record = (kind: string, key: string) => {
      tx.insert(seedLedger).values({ kind, key }).run();
      done.add(`${kind}\n${key}`);
    };
    const report = { prefectures: 0, units: 0, contacts: 0, deadlines: 0 };

    for (const p of seed.prefectures) {
      const key = `${p.province}/${p.name}`;
      if (applied('prefecture', key)) continue;
      tx.insert(prefectures)
        .values({ province: p.province, name: p.name, shortNames: p.short_names, pilotCity: p.pilot_city })
        .onConflictDoNothing()
        .run();
      record('prefecture', key);
      report.prefectures++;
    }
    for (const u of seed.units) {
      const key = `${u.province}/${u.name}`;
      if (applied('unit', key)) continue;
      tx.insert(units)
        .values({
          province: u.province,
          prefecture: u.prefecture,
          name: u.name,
          kind: u.kind,
          county: u.county,
          aliases: u.aliases,
        })
        .onConflictDoNothing()
        .run();
      record('unit', key);
      report.units++;
    }
    for (const c of seed.program.contacts) {
      if (applied('contact', c.id)) continue;
      tx.insert(contacts).values(c).onConflictDoNothing().run();
      record('contact', c.id);
      report.contacts++;
    }
    for (const d of seed.program.deadlines) {
      if (applied('deadline', d.key)) continue;
      const audience = SEED_AUDIENCES[d.audience];
      if (!audience) throw new Error(`program.json: unknown audience ${d.audience} for deadline ${d.key}`);
      tx.insert(deadlines)
        .values({
          seedKey: d.key,
          title: d.title,
          submit: d.submit,
          dueAt: Date.parse(d.due),
          audience,
          offsets: [...DEFAULT_OFFSETS],
          source: d.source,
        })
        .onConflictDoNothing()
        .run();
      record('deadline', d.key);
      report.deadlines++;
    }
    if (report.prefectures || report.units || report.contacts) store.bumpVersion();
    if (fingerprint !== undefined && !applied(FILES, fingerprint)) record(FILES, fingerprint);
    return report;
  });
}
