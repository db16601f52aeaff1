import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { AnswerService } from '../../src/app/answer-service.js';
import { openDatabase } from '../../src/db/client.js';
import { RosterStore } from '../../src/db/roster-store.js';
import { units } from '../../src/db/schema.js';
import { applySeed, seedFromFiles } from '../../src/db/seed.js';
import { readSeedData } from '../../src/db/seed-files.js';
import { DATA_DIR } from '../support/roster.js';
import { removeTempDir, tempDir } from '../support/tmp.js';

const seed = readSeedData(DATA_DIR);

describe('seed', () => {
  it('loads the roster once; a second run changes nothing', () => {
    const db = openDatabase(':memory:');
    expect(applySeed(db, seed)).toEqual({ prefectures: 13, units: 77, contacts: 2, deadlines: 2 });
    const store = new RosterStore(db);
    const before = store.load();
    const version = store.version();
    expect(applySeed(db, seed)).toEqual({ prefectures: 0, units: 0, contacts: 0, deadlines: 0 });
    expect(store.load()).toEqual(before);
    expect(store.version()).toBe(version);
    expect(before.units).toHaveLength(77);
    expect(before.prefectures.filter((p) => p.pilotCity).map((p) => p.name)).toEqual([
      '兰州市',
      '白银市',
      '定西市',
      '临夏回族自治州',
      '天水市',
    ]);
    expect(before.contacts[0]?.person).toBe('王劲龙');
  });

  it('does not parse seed files applied before; a changed file is applied', () => {
    const dir = tempDir('kczm-seed-');
    try {
      cpSync(DATA_DIR, dir, { recursive: true });
      const db = openDatabase(':memory:');
      expect(seedFromFiles(db, dir)).toEqual({ prefectures: 13, units: 77, contacts: 2, deadlines: 2 });
      // The same bytes again: nothing past the fingerprint is parsed.
      expect(seedFromFiles(db, dir)).toBeNull();
      appendFileSync(join(dir, 'units.csv'), '甘肃省,张掖市,张掖市新试点学校,school,甘州区\n');
      expect(seedFromFiles(db, dir)).toEqual({ prefectures: 0, units: 1, contacts: 0, deadlines: 0 });
      expect(new RosterStore(db).load().units).toHaveLength(78);
      // A broken file that was never applied is parsed, and rejected with its row.
      appendFileSync(join(dir, 'units.csv'), '甘肃省,张掖市,,school,\n');
      expect(() => seedFromFiles(db, dir)).toThrow(/units\.csv row 80/);
    } finally {
      removeTempDir(dir);
    }
  });

  it('never undoes a coordinator edit or removal', () => {
    const db = openDatabase(':memory:');
    applySeed(db, seed);
    db.update(units).set({ county: '七里河区' }).where(eq(units.name, '兰州市第五十二中学')).run();
    db.delete(units).where(eq(units.name, '张掖中学')).run();
    applySeed(db, seed);
    const roster = new RosterStore(db).load();
    expect(roster.units.find((u) => u.name === '兰州市第五十二中学')?.county).toBe('七里河区');
    expect(roster.units.some((u) => u.name === '张掖中学')).toBe(false);
    expect(roster.units).toHaveLength(76);
  });

  it('adds units that appear in a later seed file, and bumps the roster version', () => {
    const db = openDatabase(':memory:');
    applySeed(db, seed);
    const store = new RosterStore(db);
    const version = store.version();
    const extra = { ...seed.units[0]!, name: '兰州市测试小学', county: null, aliases: [] };
    expect(applySeed(db, { ...seed, units: [...seed.units, extra] }).units).toBe(1);
    expect(store.version()).toBe(version + 1);
  });
});

describe('answers follow roster changes at once', () => {
  it('rebuilds the matcher when the roster version changes', () => {
    const db = openDatabase(':memory:');
    applySeed(db, seed);
    const store = new RosterStore(db);
    const answers = new AnswerService(store);
    expect(answers.answer('张掖中学').verdict).toBe('pilot');
    db.transaction((tx) => {
      tx.delete(units).where(eq(units.name, '张掖中学')).run();
      store.bumpVersion();
    });
    expect(answers.answer('张掖中学').verdict).toBe('not_pilot');
  });
});
