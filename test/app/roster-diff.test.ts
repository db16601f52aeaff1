import { describe, expect, it } from 'vitest';
import type { RosterDependents, StoredUnit } from '../../src/app/ports.js';
import { computeDiff } from '../../src/app/roster-diff.js';
import { readRosterFile } from '../../src/app/roster-file.js';
import { CN_HEADER, csvText, utf8 } from '../support/roster-files.js';

/** The diff is computed from what is stored and what the file says alone: no database. */

const stored: StoredUnit[] = [
  {
    id: 1,
    province: '甘肃省',
    prefecture: '张掖市',
    name: '张掖中学',
    kind: 'school',
    county: null,
    contactPerson: '李老师',
    contactPhone: '0936-1111111',
  },
  {
    id: 2,
    province: '甘肃省',
    prefecture: '张掖市',
    name: '张掖市甘州区南街小学',
    kind: 'school',
    county: '甘州区',
    contactPerson: null,
    contactPhone: null,
  },
];
const cities = [{ province: '甘肃省', name: '张掖市', pilotCity: true }];
const dependents: RosterDependents = {
  boundUnitIds: [2, 2],
  boundCities: ['张掖市'],
  acknowledgedUnitIds: [2],
  coordinatorCities: ['张掖市'],
  deadlineAudiences: [{ kind: 'units', unitIds: [2] }, { kind: 'all_units' }],
};

async function parsed(rows: string[][]) {
  const read = await readRosterFile(utf8(csvText(CN_HEADER, rows)), 'zy.csv');
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return read.roster;
}

describe('computeDiff', () => {
  const file = [
    ['甘肃省', '张掖市', '张掖中学', '学校', '', '李老师', '0936-2222222'],
    ['甘肃省', '张掖市', '张掖市甘州区北街小学', '学校', '甘州区', '', ''],
  ];

  it('a changed phone, an added unit; the unit the file leaves out is kept without prune', async () => {
    const diff = computeDiff({ units: stored, cities, dependents }, await parsed(file));
    const [gansu] = diff.provinces;
    expect(gansu?.units.changed).toMatchObject([
      { id: 1, changes: [{ field: 'contact_phone', from: '0936-1111111', to: '0936-2222222' }] },
    ]);
    expect(gansu?.units.added.map((u) => u.name)).toEqual(['张掖市甘州区北街小学']);
    expect(gansu?.units.removed).toEqual([]);
    expect(diff.totals).toMatchObject({ addedUnits: 1, changedUnits: 1, keptUnits: 1, lostBindings: 0 });
  });

  it('with prune the left-out unit is removed, counting the groups, marks and deadlines it takes along', async () => {
    const diff = computeDiff({ units: stored, cities, dependents }, await parsed(file), { prune: true });
    expect(diff.provinces[0]?.units.removed).toMatchObject([
      { id: 2, boundGroups: 2, acknowledgements: 1, deadlines: 1 },
    ]);
    expect(diff.totals).toMatchObject({
      removedUnits: 1,
      keptUnits: 0,
      lostBindings: 2,
      lostAcknowledgements: 1,
    });
  });

  it('a file equal to what is stored is an empty diff', async () => {
    const same = [
      ['甘肃省', '张掖市', '张掖中学', '学校', '', '李老师', '0936-1111111'],
      ['甘肃省', '张掖市', '张掖市甘州区南街小学', '学校', '甘州区', '', ''],
    ];
    expect(computeDiff({ units: stored, cities, dependents }, await parsed(same)).empty).toBe(true);
  });
});
