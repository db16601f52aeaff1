import { asc, eq, sql } from 'drizzle-orm';
import type { RosterPort } from '../app/ports.js';
import type { Roster, UnitSource } from '../domain/roster.js';
import type { Db } from './client.js';
import { auditLog, contacts, meta, prefectures, units } from './schema.js';

const VERSION_KEY = 'roster_version';
const NOTICE: UnitSource = { kind: 'notice' };

/** Reads the roster and tracks its version so readers can cache it safely. */
export class RosterStore implements RosterPort {
  constructor(private readonly db: Db) {}

  /** The whole roster, prefectures and units in insertion order. */
  load(): Roster {
    const prefectureRows = this.db.select().from(prefectures).orderBy(asc(prefectures.id)).all();
    const unitRows = this.db.select().from(units).orderBy(asc(units.id)).all();
    const contactRows = this.db.select().from(contacts).all();
    const imported = this.importedUnits();
    const order = ['provincial', 'national'];
    return {
      prefectures: prefectureRows.map((p) => ({
        name: p.name,
        province: p.province,
        shortNames: p.shortNames,
        pilotCity: p.pilotCity,
      })),
      units: unitRows.map((u) => ({
        id: u.id,
        name: u.name,
        province: u.province,
        prefecture: u.prefecture,
        county: u.county,
        kind: u.kind,
        aliases: u.aliases,
        source: imported.get(u.name) ?? NOTICE,
      })),
      contacts: contactRows
        .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level))
        .map(({ id: _id, ...c }) => c),
    };
  }

  /**
   * Units added by a roster import, from the audit trail: name → the import that last added it
   * (file name and time). A unit an import removed again is dropped; the rest come from the notice.
   */
  private importedUnits(): Map<string, UnitSource> {
    const out = new Map<string, UnitSource>();
    const rows = this.db
      .select({ at: auditLog.at, subject: auditLog.subject, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.action, 'roster.import'))
      .orderBy(asc(auditLog.id))
      .all();
    for (const row of rows) {
      const after = (row.after ?? {}) as { added?: unknown; removed?: unknown; file?: unknown };
      const file = typeof after.file === 'string' ? after.file : row.subject.replace(/ \([^()]*\)$/, '');
      for (const name of Array.isArray(after.removed) ? after.removed : []) out.delete(String(name));
      for (const name of Array.isArray(after.added) ? after.added : [])
        out.set(String(name), { kind: 'import', file, at: row.at });
    }
    return out;
  }

  /** A unit's contact person and phone (for coordinators only; never shown to the public). */
  contactOf(unitId: number): { person: string | null; phone: string | null } | null {
    const row = this.db
      .select({ person: units.contactPerson, phone: units.contactPhone })
      .from(units)
      .where(eq(units.id, unitId))
      .get();
    return row && (row.person || row.phone) ? row : null;
  }

  /** A number that changes whenever the roster changes (in this or another process). */
  version(): number {
    const row = this.db.select({ value: meta.value }).from(meta).where(eq(meta.key, VERSION_KEY)).get();
    return row ? Number(row.value) : 0;
  }

  /** Marks the roster changed; call inside the transaction that changed it. */
  bumpVersion(): void {
    this.db
      .insert(meta)
      .values({ key: VERSION_KEY, value: '1' })
      .onConflictDoUpdate({ target: meta.key, set: { value: sql`cast(${meta.value} as integer) + 1` } })
      .run();
  }
}
