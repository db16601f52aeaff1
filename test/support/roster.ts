import { join } from 'node:path';
import { readSeedData } from '../../src/db/seed-files.js';
import type { Roster } from '../../src/domain/roster.js';

export const DATA_DIR = join(import.meta.dirname, '..', '..', 'data');

/** The reviewed Gansu roster straight from data/, with ids in file order (as the seed assigns them). */
export function gansuRoster(): Roster {
  const seed = readSeedData(DATA_DIR);
  return {
    prefectures: seed.prefectures.map((p) => ({
      name: p.name,
      province: p.province,
      shortNames: p.short_names,
      pilotCity: p.pilot_city,
    })),
    units: seed.units.map((u, i) => ({
      id: i + 1,
      name: u.name,
      province: u.province,
      prefecture: u.prefecture,
      county: u.county,
      kind: u.kind,
      aliases: u.aliases,
    })),
    contacts: seed.program.contacts,
  };
}
