import { canonical } from '../../src/domain/text/normalize.js';
import type { Labelled } from '../support/labelled.js';
import { type Area, uniquePlaceName, uniqueShortForm } from './areas.js';
import { chineseNumber } from './name-parts.js';
import type { NationalRoster, SyntheticUnit } from './national-roster.js';
import { Prng } from './prng.js';

/**
 * Labelled queries for the national roster, labelled as they are generated: the official name,
 * abbreviations users type (pilot, naming that unit), and near-misses (not_pilot): number ±1,
 * 中↔小, the same name in another county or city (including a county whose name ends with the
 * unit's: 兴文县 for 文县), a number dropped, the university for its 附中. A near-miss is kept only
 * when no roster unit could be what it names.
 */

type Candidate = { readonly q: string; readonly rule: string };

export interface NationalQueryOptions {
  readonly seed: number;
  /** Abbreviated forms kept per unit (at most). */
  readonly variantsPerUnit: number;
  /** Near-misses kept per unit (at most). */
  readonly negativesPerUnit: number;
}

export const DEFAULT_QUERIES: NationalQueryOptions = { seed: 7, variantsPerUnit: 1, negativesPerUnit: 2 };

export function nationalQueries(
  national: NationalRoster,
  options: NationalQueryOptions = DEFAULT_QUERIES,
): Labelled[] {
  const rng = new Prng(options.seed);
  const gen = new QueryMaker(national, rng);
  const out = new Map<string, Labelled | null>();
  const put = (label: Labelled) => {
    const seen = out.get(label.q);
    // The same text reached with two different labels is dropped rather than guessed.
    if (seen === undefined) out.set(label.q, label);
    else if (seen && labelKey(seen) !== labelKey(label)) out.set(label.q, null);
  };
  const rosterCanon = new Set(national.roster.units.map((u) => canonical(u.name)));

  for (const s of national.synthetic) {
    const name = s.unit.name;
    put({ q: name, expect: 'pilot', kind: 'unit', name, rule: 'exact' });
    const variants = rng.shuffle(gen.variants(s)).slice(0, options.variantsPerUnit);
    if (rng.chance(0.1)) variants.push({ q: rng.pick(SENTENCES)(name), rule: 'sentence' });
    for (const v of variants) put({ q: v.q, expect: 'pilot', kind: 'unit', name, rule: v.rule });
    const negatives = rng.shuffle(gen.negatives(s)).slice(0, options.negativesPerUnit);
    for (const n of negatives) {
      if (rosterCanon.has(canonical(n.q))) continue;
      put({ q: n.q, expect: 'not_pilot', rule: n.rule });
    }
  }
  // The real Gansu units get the one near-miss the Gansu labelled set lacks: a longer county name.
  for (const s of national.gansu) {
    for (const n of gen.longerCounties(s)) {
      if (!rosterCanon.has(canonical(n.q))) put({ q: n.q, expect: 'not_pilot', rule: n.rule });
    }
  }
  return [...out.values()].filter((l): l is Labelled => l !== null);
}

function labelKey(label: Labelled): string {
  return label.expect === 'pilot' ? `pilot:${label.name}` : label.expect;
}

const SENTENCES: readonly ((name: string) => string)[] = [
  (n) => `请问${n}是试点单位吗`,
  (n) => `${n}是不是试点学校`,
  (n) => `我们是${n}，在名单里吗？`,
];

class QueryMaker {
  constructor(
    private readonly national: NationalRoster,
    private readonly rng: Prng,
  ) {}

  /** Spellings of the unit a user may type; each still names exactly this unit. */
  variants(s: SyntheticUnit): Candidate[] {
    const out: Candidate[] = [];
    const shortPrefix = this.shortPrefix(s);
    if (shortPrefix !== null) out.push({ q: shortPrefix + s.core, rule: 'drop_shi_xian' });
    const county = s.prefix[1];
    if (s.prefix.length === 2 && county && uniquePlaceName(county))
      out.push({ q: county + s.core, rule: 'drop_prefecture' });
    const places = shortPrefix ?? s.prefix.join('');
    if (s.number !== null && /^第[一二三四五六七八九十]+[中小]学$/.test(s.core) && places) {
      const head = s.core.endsWith('中学') ? '中' : '小';
      out.push({ q: `${places}${chineseNumber(s.number)}${head}`, rule: 'ordinal_short' });
      out.push({ q: `${places}${s.number}${head}`, rule: 'ordinal_arabic' });
    }
    if (s.pattern === 'county_exp_numbered' && s.number !== null && shortPrefix)
      out.push({ q: `${shortPrefix}${chineseNumber(s.number)}实小`, rule: 'ordinal_short' });
    if (s.pattern === 'town_central') out.push({ q: s.core, rule: 'drop_county' });
    if (s.pattern === 'univ_affiliated' && s.university) {
      const short = s.university.replace('师范大学', '师大').replace('交通大学', '交大');
      out.push({ q: `${short}附中`, rule: 'university_form' });
    }
    if (s.pattern === 'city_experimental' && shortPrefix)
      out.push({ q: `${shortPrefix}实小`, rule: 'type_head_short' });
    if (s.pattern === 'university' && s.core.includes('师范大学'))
      out.push({ q: s.core.replace('师范大学', '师大'), rule: 'university_form' });
    return out;
  }

  /** Near-misses of the unit that name no roster unit. */
  negatives(s: SyntheticUnit): Candidate[] {
    const out: Candidate[] = [];
    const { area } = s;
    const county = s.unit.county;
    const free = (a: Area, c: string | null, core: string) => !this.national.index.has(a.prefecture, c, core);
    const withCore = (core: string) => s.prefix.join('') + core;

    if (s.number !== null) {
      for (const n of [s.number - 1, s.number + 1]) {
        if (n < 1 || n > 99) continue;
        const core = s.core.replace(chineseNumber(s.number), chineseNumber(n));
        if (core !== s.core && free(area, county, core)) out.push({ q: withCore(core), rule: 'neg_number' });
      }
    }
    const swapped = swapZhongXiao(s);
    if (swapped && free(area, county, swapped)) out.push({ q: withCore(swapped), rule: 'neg_zhong_xiao' });

    if (s.pattern === 'county_exp_numbered' && free(area, county, '实验小学'))
      out.push({ q: withCore('实验小学'), rule: 'neg_missing_number' });
    if (s.pattern === 'univ_affiliated' && s.university && free(area, null, s.university))
      out.push({ q: s.university, rule: 'neg_university_vs_fuzhong' });

    const other = this.otherPlace(s);
    if (other) out.push(other);
    const longer = this.longerCounties(s);
    if (longer.length) out.push(this.rng.pick(longer));
    return out;
  }

  /** The same core in each county whose name ends with the unit's county: 来凤县 for 凤县, 兴文县 for 文县. */
  longerCounties(s: SyntheticUnit): Candidate[] {
    const county = s.unit.county;
    if (!county || !s.prefix.includes(county)) return [];
    return (this.countiesBySuffix().get(county) ?? [])
      .filter(
        ({ area, county: c }) => uniquePlaceName(c) && !this.national.index.has(area.prefecture, c, s.core),
      )
      .map(({ area, county: other }) => ({
        q: (s.prefix.length === 2 ? area.prefecture + other : other) + s.core,
        rule: 'neg_county_inside_longer_county',
      }));
  }

  private bySuffix: Map<string, { area: Area; county: string }[]> | null = null;

  /** Every county of China (outside Gansu) under each proper suffix of its name (凤县 → 来凤县). */
  private countiesBySuffix(): Map<string, { area: Area; county: string }[]> {
    if (this.bySuffix) return this.bySuffix;
    const map = new Map<string, { area: Area; county: string }[]>();
    for (const area of this.national.areas) {
      for (const county of area.counties) {
        for (let i = 1; i <= county.length - 2; i++) {
          const suffix = county.slice(i);
          const list = map.get(suffix) ?? [];
          list.push({ area, county });
          map.set(suffix, list);
        }
      }
    }
    this.bySuffix = map;
    return map;
  }

  /** The same core in another county (often of the same prefecture) or another prefecture. */
  private otherPlace(s: SyntheticUnit): Candidate | null {
    const index = this.national.index;
    if (!s.prefix.length) return null;
    const county = s.unit.county;
    if (county === null) {
      // Prefecture-level name: the same name in another prefecture.
      for (let attempt = 0; attempt < 10; attempt++) {
        const area = this.rng.pick(this.national.areas);
        if (area.prefecture === s.area.prefecture || !uniquePlaceName(area.prefecture)) continue;
        if (index.has(area.prefecture, null, s.core)) continue;
        return { q: area.prefecture + s.core, rule: 'neg_same_name_other_place' };
      }
      return null;
    }
    const suffix = county.at(-1)!;
    const sameKind = (a: Area) => a.counties.filter((c) => c !== county && c.endsWith(suffix));
    const local = sameKind(s.area);
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = local.length && this.rng.chance(0.5) ? s.area : this.rng.pick(this.national.areas);
      const choices = sameKind(area);
      if (!choices.length) continue;
      const other = this.rng.pick(choices);
      if (!uniquePlaceName(other) || index.has(area.prefecture, other, s.core)) continue;
      const prefix = s.prefix.length === 2 ? area.prefecture + other : other;
      return { q: prefix + s.core, rule: 'neg_same_name_other_place' };
    }
    return null;
  }

  /** The prefix places in short form (郑州市金水区 → 郑州金水), or null when one is not unique. */
  private shortPrefix(s: SyntheticUnit): string | null {
    if (!s.prefix.length) return null;
    const shorts = s.prefix.map((p) => uniqueShortForm(p, p === s.unit.prefecture ? 'prefecture' : 'county'));
    return shorts.every((x) => x !== null) ? shorts.join('') : null;
  }
}

/** 中学 ↔ 小学 where it makes another plausible school (not for 中心小学 or venues). */
function swapZhongXiao(s: SyntheticUnit): string | null {
  if (s.pattern === 'town_central' || s.pattern === 'university') return null;
  if (s.core.endsWith('附属中学')) return s.core.replace(/附属中学$/, '附属小学');
  if (s.core.endsWith('中学')) return s.core.replace(/中学$/, '小学');
  if (s.core.endsWith('小学')) return s.core.replace(/小学$/, '中学');
  return null;
}
