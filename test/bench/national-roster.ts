import { chinaPlaces } from '../../src/domain/places/china.js';
import { placeForms } from '../../src/domain/places/forms.js';
import type { Prefecture, Roster, Unit, UnitKind } from '../../src/domain/roster.js';
import { gansuRoster } from '../support/roster.js';
import { type Area, chinaAreas, uniquePlaceName } from './areas.js';
import { CoreIndex } from './core-index.js';
import {
  chineseNumber,
  ethnicSchoolWord,
  ROADS,
  TOWN_FIRST,
  TOWN_SECOND,
  UNIVERSITIES,
} from './name-parts.js';
import { Prng } from './prng.js';

/**
 * A synthetic national roster: the real 77 Gansu units plus well over a thousand units named the
 * way Chinese schools and science venues are named, spread over every other province's real
 * prefectures and counties (GB/T 2260 via @vant/area-data). Deterministic for a given seed.
 */

export type Pattern =
  | 'pref_middle' // <市>第<N>中学
  | 'district_primary' // <市><区>第<N>小学
  | 'county_middle' // <县>第<N>中学
  | 'town_central' // <县><镇>中心小学
  | 'chengguan' // <县>城关小学
  | 'road_primary' // (<市>)<区><路名>小学
  | 'city_experimental' // <市>实验小学
  | 'county_exp_numbered' // <县>第<N>实验小学
  | 'science_museum' // <市>科技馆
  | 'youth_centre' // <县>青少年活动中心
  | 'ethnic_middle' // <县><民族>中学
  | 'univ_affiliated' // <大学>附属中学
  | 'university' // <大学>
  | 'gansu_real'; // a real Gansu unit named <县><core>, described for near-misses

/** A generated unit with how its name was built, so queries can be derived from it. */
export interface SyntheticUnit {
  readonly unit: Unit;
  readonly pattern: Pattern;
  readonly area: Area;
  /** Places spelled at the start of the name, in order (prefecture and/or county). */
  readonly prefix: readonly string[];
  /** The rest of the name: 第十二中学, 城关小学, 石桥镇中心小学, ... */
  readonly core: string;
  readonly number: number | null;
  readonly university: string | null;
}

export interface NationalRoster {
  readonly roster: Roster;
  readonly synthetic: readonly SyntheticUnit[];
  /** The real Gansu units whose name starts with their county (文县城关中学), described the same way. */
  readonly gansu: readonly SyntheticUnit[];
  readonly areas: readonly Area[];
  /** Which cores exist where: tells whether a generated near-miss might name a real roster unit. */
  readonly index: CoreIndex;
}

const PATTERN_WEIGHTS: readonly (readonly [Pattern, number])[] = [
  ['pref_middle', 3],
  ['district_primary', 2],
  ['county_middle', 2],
  ['town_central', 2],
  ['chengguan', 1.5],
  ['road_primary', 2],
  ['city_experimental', 1],
  ['county_exp_numbered', 1.5],
  ['science_museum', 0.7],
  ['youth_centre', 1],
  ['ethnic_middle', 0.7],
];

interface Draft {
  readonly pattern: Pattern;
  readonly kind: UnitKind;
  readonly prefix: readonly string[];
  readonly county: string | null;
  readonly core: string;
  readonly number: number | null;
  readonly university?: string;
}

class Generator {
  readonly synthetic: SyntheticUnit[] = [];
  readonly index = new CoreIndex();
  private readonly names = new Set<string>();
  private readonly towns = new Set<string>();

  constructor(
    private readonly rng: Prng,
    private nextId: number,
    taken: readonly Unit[],
  ) {
    for (const u of taken) this.names.add(u.name);
  }

  /** Tries to add one unit of a random pattern to an area; false when the draw collided. */
  addRandom(area: Area): boolean {
    const pattern = this.rng.weighted(PATTERN_WEIGHTS);
    const draft = this.draft(area, pattern);
    return draft ? this.add(area, draft) : false;
  }

  addUniversity(area: Area, university: string, affiliated: boolean): boolean {
    const core = affiliated ? `${university}附属中学` : university;
    return this.add(area, {
      pattern: affiliated ? 'univ_affiliated' : 'university',
      kind: affiliated ? 'school' : 'university',
      prefix: [],
      county: null,
      core,
      number: null,
      university,
    });
  }

  private add(area: Area, d: Draft): boolean {
    const name = d.prefix.join('') + d.core;
    if (this.names.has(name) || this.index.has(area.prefecture, d.county, d.core)) return false;
    this.names.add(name);
    this.index.add(area.prefecture, d.county, d.core);
    const unit: Unit = {
      id: this.nextId++,
      name,
      province: area.province,
      prefecture: area.prefecture,
      county: d.county,
      kind: d.kind,
      aliases: [],
    };
    this.synthetic.push({
      unit,
      pattern: d.pattern,
      area,
      prefix: d.prefix,
      core: d.core,
      number: d.number,
      university: d.university ?? null,
    });
    return true;
  }

  private draft(area: Area, pattern: Pattern): Draft | null {
    const { rng } = this;
    const pref = area.prefecture;
    const districts = area.counties.filter((c) => c.endsWith('区'));
    const rural = area.counties.filter((c) => /县$/.test(c));
    const anyCounty = area.counties;
    // A county name shared by several places (鼓楼区, 城区) is written after its prefecture.
    const placed = (county: string) => (uniquePlaceName(county) ? [county] : [pref, county]);
    const school = (
      prefix: string[],
      county: string | null,
      core: string,
      n: number | null = null,
    ): Draft => ({
      pattern,
      kind: 'school',
      prefix,
      county,
      core,
      number: n,
    });
    switch (pattern) {
      case 'pref_middle': {
        const n = rng.int(1, rng.chance(0.7) ? 20 : 60);
        return school([pref], null, `第${chineseNumber(n)}中学`, n);
      }
      case 'district_primary': {
        if (!districts.length) return null;
        const county = rng.pick(districts);
        const n = rng.int(1, 30);
        return school([pref, county], county, `第${chineseNumber(n)}小学`, n);
      }
      case 'county_middle': {
        if (!rural.length) return null;
        const county = rng.pick(rural);
        const n = rng.int(1, 8);
        return school(placed(county), county, `第${chineseNumber(n)}中学`, n);
      }
      case 'town_central': {
        if (!rural.length) return null;
        const town = this.town();
        if (!town) return null;
        const county = rng.pick(rural);
        return school(placed(county), county, `${town}中心小学`);
      }
      case 'chengguan': {
        if (!rural.length) return null;
        const county = rng.pick(rural);
        return school(placed(county), county, '城关小学');
      }
      case 'road_primary': {
        if (!districts.length) return null;
        const county = rng.pick(districts);
        const prefix = rng.chance(0.4) ? [pref, county] : placed(county);
        return school(prefix, county, `${rng.pick(ROADS)}小学`);
      }
      case 'city_experimental':
        return school([pref], null, '实验小学');
      case 'county_exp_numbered': {
        if (!rural.length) return null;
        const county = rng.pick(rural);
        const n = rng.int(1, 4);
        return school(placed(county), county, `第${chineseNumber(n)}实验小学`, n);
      }
      case 'science_museum':
        return { pattern, kind: 'out_of_school', prefix: [pref], county: null, core: '科技馆', number: null };
      case 'youth_centre': {
        if (!anyCounty.length) return null;
        const county = rng.pick(anyCounty);
        return {
          pattern,
          kind: 'out_of_school',
          prefix: placed(county),
          county,
          core: '青少年活动中心',
          number: null,
        };
      }
      case 'ethnic_middle': {
        if (!rural.length) return null;
        const county = rng.pick(rural);
        return school(placed(county), county, `${ethnicSchoolWord(area.province)}中学`);
      }
      default:
        return null;
    }
  }

  /** A township name used once in the whole roster and not a place name of its own. */
  private town(): string | null {
    for (let attempt = 0; attempt < 20; attempt++) {
      const base = this.rng.pick(TOWN_FIRST) + this.rng.pick(TOWN_SECOND);
      const town = base + (this.rng.chance(0.8) ? '镇' : '乡');
      if (this.towns.has(base) || chinaPlaces().lookup(base).length || chinaPlaces().findAll(base).length)
        continue;
      this.towns.add(base);
      return town;
    }
    return null;
  }
}

export interface NationalOptions {
  readonly seed: number;
  /** Units drawn per prefecture: uniform in [min, max]. */
  readonly perPrefecture: readonly [min: number, max: number];
  /** Share of prefectures marked as pilot cities. */
  readonly pilotCityShare: number;
}

export const DEFAULT_NATIONAL: NationalOptions = {
  seed: 20220520,
  perPrefecture: [2, 7],
  pilotCityShare: 0.35,
};

/** Builds the national roster: Gansu first (so the answerer's home province stays 甘肃省). */
export function nationalRoster(options: NationalOptions = DEFAULT_NATIONAL): NationalRoster {
  const rng = new Prng(options.seed);
  const gansu = gansuRoster();
  const areas = chinaAreas();
  const gen = new Generator(rng, gansu.units.length + 1, gansu.units);

  for (const area of areas) {
    const want = rng.int(...options.perPrefecture);
    let added = 0;
    for (let attempt = 0; added < want && attempt < want * 8; attempt++) if (gen.addRandom(area)) added++;
  }
  for (const [university, prefecture] of UNIVERSITIES) {
    const area = areas.find((a) => a.prefecture === prefecture);
    if (!area) continue;
    gen.addUniversity(area, university, true);
    if (rng.chance(0.4)) gen.addUniversity(area, university, false);
  }

  const used = new Set(gen.synthetic.map((s) => s.area.prefecture));
  const prefectures: Prefecture[] = [
    ...gansu.prefectures,
    ...areas
      .filter((a) => used.has(a.prefecture))
      .map((a) => ({
        name: a.prefecture,
        province: a.province,
        shortNames: placeForms(a.prefecture, 'prefecture').filter((f) => f !== a.prefecture),
        pilotCity: rng.chance(options.pilotCityShare),
      })),
  ];
  return {
    roster: {
      prefectures,
      units: [...gansu.units, ...gen.synthetic.map((s) => s.unit)],
      contacts: gansu.contacts,
    },
    synthetic: gen.synthetic,
    gansu: gansu.units.flatMap((u) => describeReal(u) ?? []),
    areas,
    index: gen.index,
  };
}

function describeReal(unit: Unit): SyntheticUnit | null {
  const county = unit.county;
  if (!county || !unit.name.startsWith(county) || unit.name.length <= county.length) return null;
  return {
    unit,
    pattern: 'gansu_real',
    area: { province: unit.province, prefecture: unit.prefecture, counties: [] },
    prefix: [county],
    core: unit.name.slice(county.length),
    number: null,
    university: null,
  };
}
