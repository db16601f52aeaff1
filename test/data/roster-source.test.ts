import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSeedData } from '../../src/db/seed-files.js';
import { DATA_DIR } from '../support/roster.js';

/** The notices as received; the roster in data/ must agree with them name for name. */
const SOURCE = readFileSync(join(DATA_DIR, 'source', 'pilot-notices.md'), 'utf8');
const seed = readSeedData(DATA_DIR);

const SHORT_TO_CANONICAL: Record<string, string> = { 甘南州: '甘南藏族自治州', 临夏州: '临夏回族自治州' };

/** Gansu notice, 附件2: unit names grouped under prefecture headings. */
function gansuUnitsByPrefecture(): Map<string, string[]> {
  const start = SOURCE.indexOf('(77 个)');
  const end = SOURCE.indexOf('# 中国科协青少年科技中心');
  const lines = SOURCE.slice(start, end)
    .split('\n')
    .map((l) => l.replace(/[#*]/g, '').trim())
    .filter((l) => l && !l.startsWith('(') && !l.startsWith('（') && !l.includes('名单'));
  const prefectureNames = new Set([
    ...seed.prefectures.map((p) => p.name),
    ...Object.keys(SHORT_TO_CANONICAL),
  ]);
  const out = new Map<string, string[]>();
  let current = '';
  for (const line of lines) {
    if (prefectureNames.has(line)) {
      current = SHORT_TO_CANONICAL[line] ?? line;
      out.set(current, []);
    } else {
      out.get(current)?.push(line);
    }
  }
  return out;
}

/** National notice, 附件2: the same 77 names, ungrouped, after the 甘肃省 heading. */
function nationalUnits(): string[] {
  const national = SOURCE.slice(SOURCE.indexOf('# 中国科协青少年科技中心'));
  const list = national.slice(national.indexOf('### 甘肃省') + '### 甘肃省'.length);
  return list
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe('roster data agrees with the notices', () => {
  it('has the 77 units of the Gansu notice, under the same prefectures, in the same order', () => {
    const expected = gansuUnitsByPrefecture();
    const actual = new Map<string, string[]>();
    for (const u of seed.units) actual.set(u.prefecture, [...(actual.get(u.prefecture) ?? []), u.name]);
    expect(seed.units).toHaveLength(77);
    expect([...actual.entries()]).toEqual([...expected.entries()]);
  });

  it('has exactly the names of the national attachment', () => {
    const names = nationalUnits();
    expect(names).toHaveLength(77);
    expect(new Set(seed.units.map((u) => u.name))).toEqual(new Set(names));
  });

  it('has the 5 pilot cities of 附件1 and per-prefecture counts of DOMAIN.md', () => {
    const cities = /兰州市、白银市、定西市、临夏回族自治州、天水市/.exec(SOURCE)?.[0].split('、');
    expect(seed.prefectures.filter((p) => p.pilot_city).map((p) => p.name)).toEqual(cities);
    const counts = Object.fromEntries(
      seed.prefectures.map((p) => [p.name, seed.units.filter((u) => u.prefecture === p.name).length]),
    );
    expect(counts).toEqual({
      兰州市: 15,
      白银市: 4,
      定西市: 4,
      甘南藏族自治州: 2,
      金昌市: 3,
      酒泉市: 6,
      临夏回族自治州: 6,
      陇南市: 7,
      平凉市: 9,
      庆阳市: 5,
      天水市: 4,
      武威市: 6,
      张掖市: 6,
    });
  });

  it('has the two contacts and the notices own dates as past deadlines', () => {
    expect(seed.program.contacts.map((c) => [c.person, c.phone])).toEqual([
      ['王劲龙', '0931-6184271'],
      ['李春雨', '010-68516005'],
    ]);
    expect(SOURCE).toContain('2022年11月15日前汇总上报本地区工作总结报告');
    expect(seed.program.deadlines.map((d) => d.due.slice(0, 10))).toEqual(['2022-11-15', '2022-12-31']);
  });

  it('only gives a county where the name tells it, and the county lies in the unit prefecture', async () => {
    const { chinaPlaces } = await import('../../src/domain/places/china.js');
    const places = chinaPlaces();
    for (const u of seed.units.filter((x) => x.county)) {
      expect(places.prefectureOfCounty(u.county!, u.province), u.name).toBe(u.prefecture);
    }
  });
});
