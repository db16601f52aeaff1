import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type {
  RosterDependents,
  RosterRecordsPort,
  RosterWrite,
  StoredCity,
  StoredUnit,
} from '../app/ports.js';
import { type Clock, systemClock } from '../clock.js';
import type { Db } from './client.js';
import { acknowledgements, bindings, coordinators, deadlines, prefectures, units } from './schema.js';

/** SQLite bounds the variables of one statement: bulk inserts and deletes go in chunks. */
const CHUNK = 500;

const UNIT_COLUMNS = {
  id: units.id,
  province: units.province,
  prefecture: units.prefecture,
  name: units.name,
  kind: units.kind,
  county: units.county,
  contactPerson: units.contactPerson,
  contactPhone: units.contactPhone,
};

const CITY_COLUMNS = {
  province: prefectures.province,
  name: prefectures.name,
  pilotCity: prefectures.pilotCity,
};

/** The roster's units and cities as records: what roster import and export read and write. */
export class RosterRecords implements RosterRecordsPort {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  records(provinces?: readonly string[]): { units: StoredUnit[]; cities: StoredCity[] } {
    if (provinces && !provinces.length) return { units: [], cities: [] };
    const unitQuery = this.db.select(UNIT_COLUMNS).from(units);
    const cityQuery = this.db.select(CITY_COLUMNS).from(prefectures);
    return {
      units: (provinces ? unitQuery.where(inArray(units.province, [...provinces])) : unitQuery)
        .orderBy(asc(units.id))
        .all(),
      cities: (provinces ? cityQuery.where(inArray(prefectures.province, [...provinces])) : cityQuery)
        .orderBy(asc(prefectures.id))
        .all(),
    };
  }

  dependents(): RosterDependents {
    const db = this.db;
    return {
      boundUnitIds: db
        .select({ id: bindings.unitId })
        .from(bindings)
        .where(isNotNull(bindings.unitId))
        .all()
        .flatMap((r) => (r.id === null ? [] : [r.id])),
      boundCities: db
        .select({ prefecture: bindings.prefecture })
        .from(bindings)
        .where(eq(bindings.kind, 'city'))
        .all()
        .map((r) => r.prefecture),
      acknowledgedUnitIds: db
        .select({ id: acknowledgements.unitId })
        .from(acknowledgements)
        .all()
        .map((r) => r.id),
      coordinatorCities: db
        .select({ prefecture: coordinators.prefecture })
        .from(coordinators)
        .all()
        .map((r) => r.prefecture),
      deadlineAudiences: db
        .select({ audience: deadlines.audience })
        .from(deadlines)
        .all()
        .map((r) => r.audience),
    };
  }

  write(change: RosterWrite): void {
    const { db } = this;
    const at = this.clock.now();
    const { province } = change;
    const newCities = change.addCities.map((c) => ({ ...c, province, shortNames: [...c.shortNames] }));
    for (let i = 0; i < newCities.length; i += CHUNK)
      db.insert(prefectures)
        .values(newCities.slice(i, i + CHUNK))
        .run();
    for (const c of change.setPilotCity)
      db.update(prefectures)
        .set({ pilotCity: c.pilotCity, updatedAt: at })
        .where(and(eq(prefectures.province, province), eq(prefectures.name, c.name)))
        .run();
    const newUnits = change.addUnits.map((u) => ({ ...u, province, aliases: [] }));
    for (let i = 0; i < newUnits.length; i += CHUNK)
      db.insert(units)
        .values(newUnits.slice(i, i + CHUNK))
        .run();
    for (const u of change.changeUnits) {
      db.update(units)
        .set({ ...u.set, updatedAt: at })
        .where(eq(units.id, u.id))
        .run();
      // A unit group carries its unit's prefecture: keep it in step with a move.
      if (u.set.prefecture)
        db.update(bindings).set({ prefecture: u.set.prefecture }).where(eq(bindings.unitId, u.id)).run();
    }
    for (let i = 0; i < change.removeUnitIds.length; i += CHUNK)
      db.delete(units)
        .where(inArray(units.id, change.removeUnitIds.slice(i, i + CHUNK)))
        .run();
    if (change.removeCities.length)
      db.delete(prefectures)
        .where(and(eq(prefectures.province, province), inArray(prefectures.name, [...change.removeCities])))
        .run();
  }
}
