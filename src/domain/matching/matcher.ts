import type { Place, PlaceIndex, PlaceMention } from '../places/china.js';
import type { Roster, Unit } from '../roster.js';
import { headText } from '../text/cut.js';
import { canonical } from '../text/normalize.js';
import { directionsIn, isIdentityChar, numbersIn, sameList, typeFamily } from './features.js';
import { namePart } from './name-part.js';
import { canonicalLatin, pinyinKey } from './pinyin.js';
import { generateAliases, profileUnit, type UnitProfile } from './unit-profile.js';

/** How a unit was found: an alias contained in the text, a fuzzy step, or pinyin. */
export type MatchVia = 'alias' | 'subsequence' | 'homophone' | 'extra_char' | 'pinyin';

export type UnitMatch =
  | { readonly verdict: 'pilot'; readonly unit: Unit; readonly caveat: boolean; readonly via: MatchVia }
  /** generic: the name is shared by many schools of the province; the listed ones are candidates. */
  | { readonly verdict: 'ambiguous'; readonly units: readonly Unit[]; readonly generic?: boolean }
  /** vetoed: a near-miss was found and rejected (a different number, type, direction or place). */
  | { readonly verdict: 'none'; readonly vetoed: boolean };

/** Alias → the units it may name, with the alias's strength for each. */
type AliasTable = Map<string, Map<number, Strength>>;

/** 3: the official name; 2: a contiguous peel; 1: a peel that skips a middle place. */
type Strength = 1 | 2 | 3;

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly units: readonly number[];
  /** The alias is the core alone, without any place. */
  readonly bare: boolean;
}

/** Text beyond this many canonical characters is not read: no name is that long. */
const MAX_NAME = 120;
/** A following character that continues the name into another institution (…小学附属幼儿园). */
const CONTINUATION = /^[附分中小心初高大学院园幼实职技师专路街巷村镇乡区县市州东西南北新老\d]/;

/** Answers "which roster unit does this text name?" without false positives. */
export class Matcher {
  readonly profiles: readonly UnitProfile[];
  private readonly aliases: AliasTable = new Map();
  private readonly bareAliases = new Set<string>();
  private readonly byEnds = new Map<string, string[]>();
  private readonly stems = new Map<string, number[]>();
  private readonly maxAlias: number;
  /** Built on the first question that needs pinyin (see {@link pinyinTables}). */
  private pinyinIndex: PinyinTables | undefined;

  constructor(
    roster: Roster,
    private readonly places: PlaceIndex,
  ) {
    this.profiles = roster.units.map((u) => profileUnit(u, roster));
    let maxAlias = 0;
    this.profiles.forEach((profile, index) => {
      for (const { alias, bare, strength } of aliasesWithStrength(profile)) {
        addAlias(this.aliases, alias, index, strength);
        if (bare) this.bareAliases.add(`${index}:${alias}`);
        maxAlias = Math.max(maxAlias, alias.length);
      }
    });
    for (const alias of this.aliases.keys()) {
      const ends = alias[0]! + alias.at(-1)!;
      pushTo(this.byEnds, ends, alias);
    }
    this.profiles.forEach((profile, index) => {
      // A bare stem (南关, 逸夫) or a bare type (初中) is a question about every unit that has it.
      // A stem that is itself an institution (清华大学 of 清华大学附属中学) names that institution.
      const stems = [profile.stem, profile.stem.replace(/(实验|中心)$/, '')].filter((k) => !typeFamily(k));
      const type = /(初中|高中|九年制|实小|附中|科技馆|博物馆)$/.exec(profile.canon)?.[1];
      for (const key of new Set([...stems, type ?? ''])) if (key.length >= 2) pushTo(this.stems, key, index);
    });
    this.maxAlias = maxAlias;
  }

  private get pinyin(): PinyinTables {
    this.pinyinIndex ??= pinyinTables(this.profiles, this.aliases.keys());
    return this.pinyinIndex;
  }

  /** Finds the roster unit a free text names; never guesses between near-misses. */
  match(text: string): UnitMatch {
    const name = namePart(headText(canonical(text), MAX_NAME));
    if (!name) return { verdict: 'none', vetoed: false };
    if (/^[a-z0-9]+$/.test(name) && /[a-z]{4}/.test(name)) return this.matchLatin(text);
    const mentions = this.places.findAll(name);
    const hits = this.aliasHits(name);
    if (hits.length) {
      const judged = this.judgeHits(name, hits, mentions);
      // Every alias found was vetoed: a misspelt place (庆成县 for 庆城县) may still name the unit.
      if (judged.verdict !== 'none') return judged;
      const fuzzy = this.fuzzy(name, mentions);
      return fuzzy.verdict === 'none' ? judged : fuzzy;
    }
    return this.fuzzy(name, mentions);
  }

  /** Place mentions of a text's name part (for city questions and answers). */
  placesIn(text: string): PlaceMention[] {
    return this.places.findAll(namePart(headText(canonical(text), MAX_NAME)));
  }

  private aliasHits(name: string): Hit[] {
    const hits: Hit[] = [];
    for (let start = 0; start < name.length; start++) {
      for (let len = Math.min(this.maxAlias, name.length - start); len >= 2; len--) {
        const alias = name.slice(start, start + len);
        const owners = this.aliases.get(alias);
        if (!owners) continue;
        const end = start + len;
        const before = name[start - 1] ?? '';
        const after = name.slice(end);
        if (/[\d东西南北]/.test(before) || (/\d$/.test(alias) && /^\d/.test(after))) continue;
        if (after && CONTINUATION.test(after)) continue;
        const units = strongest(owners);
        hits.push({ start, end, units, bare: units.every((u) => this.bareAliases.has(`${u}:${alias}`)) });
      }
    }
    return hits.filter(
      (h) =>
        !hits.some(
          (o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start,
        ),
    );
  }

  private judgeHits(name: string, hits: readonly Hit[], mentions: readonly PlaceMention[]): UnitMatch {
    const pilots = new Map<number, boolean>();
    const maybe = new Set<number>();
    for (const hit of hits) {
      // The alias must explain the whole name: anything else left over (二, 知行学院, 青少年, 分校)
      // makes it another institution.
      if (leftover(name, hit, mentions)) continue;
      // A place that only partly overlaps the alias is outside it: in 兴文县城关中学 the alias
      // 文县城关中 starts inside 兴文县, a county of Sichuan.
      const outside = mentions.filter((m) => m.start < hit.start || m.end > hit.end);
      this.judge(hit.units, outside, hit.bare, pilots, maybe);
    }
    return this.conclude(pilots, maybe, 'alias');
  }

  /**
   * Sorts candidates into sure (pilots, with a caveat flag) and possible (maybe) by the places
   * named around them. A generic core (城关小, 52中) is strict: a place that is consistent but does
   * not pin the unit down (平凉 for 静宁县城关小学, 甘南州 for 碌曲县藏族中学) names another school.
   */
  private judge(
    units: readonly number[],
    mentions: readonly PlaceMention[],
    bare: boolean,
    pilots: Map<number, boolean>,
    maybe: Set<number>,
  ): void {
    const verdicts = units.map((u) => ({ u, v: placeVerdict(this.profiles[u]!, mentions, bare) }));
    const survivors = verdicts.filter((x) => x.v !== 'veto');
    const identified = survivors.filter((x) => x.v === 'identified');
    if (units.length === 1 && survivors.length === 1) {
      const { u, v } = survivors[0]!;
      pilots.set(u, v === 'unplaced' && bare && this.profiles[u]!.sharedName);
    } else if (identified.length === 1) {
      pilots.set(identified[0]!.u, false);
    } else {
      for (const { u } of survivors) maybe.add(u);
    }
  }

  private conclude(pilots: Map<number, boolean>, maybe: Set<number>, via: MatchVia): UnitMatch {
    if (pilots.size === 1 && maybe.size === 0) {
      const [[u, caveat]] = [...pilots] as [[number, boolean]];
      // A generic name (逸夫小学, 南关小学) named without its place is a candidate, never a yes:
      // other schools of that name exist all over the province.
      if (caveat) return { verdict: 'ambiguous', units: [this.unit(u)], generic: true };
      return { verdict: 'pilot', unit: this.unit(u), caveat, via };
    }
    const all = new Set([...pilots.keys(), ...maybe]);
    if (all.size)
      return { verdict: 'ambiguous', units: [...all].sort((a, b) => a - b).map((u) => this.unit(u)) };
    return { verdict: 'none', vetoed: true };
  }

  private fuzzy(name: string, mentions: readonly PlaceMention[]): UnitMatch {
    const stemmed = this.stems.get(name);
    if (stemmed) return { verdict: 'ambiguous', units: stemmed.map((u) => this.unit(u)) };
    if (name.length < 3 || name.length > 40) return { verdict: 'none', vetoed: false };
    const found = new Map<number, { via: MatchVia; bare: boolean }>();
    const add = (alias: string, via: MatchVia) => {
      for (const u of strongest(this.aliases.get(alias)!)) {
        if (!found.has(u)) found.set(u, { via, bare: this.bareAliases.has(`${u}:${alias}`) });
      }
    };
    const q0 = name[0]!;
    const qn = name.at(-1)!;
    for (const alias of this.byEnds.get(q0 + qn) ?? []) {
      if (alias.length > name.length && name.length * 2 >= alias.length && isSubsequence(name, alias)) {
        // Dropping characters from a generic core's name drops its place: 白银市二中 ≠ 白银市平川区第二中学.
        if (strongest(this.aliases.get(alias)!).some((u) => this.profiles[u]!.genericCore)) continue;
        add(alias, 'subsequence');
      }
    }
    if (name.length >= 4 && /\p{Script=Han}/u.test(name)) {
      for (const alias of this.pinyin.byPinyin.get(pinyinKey(name)) ?? []) {
        if (alias.length === name.length && alias !== name && homophoneOnly(name, alias))
          add(alias, 'homophone');
      }
    }
    if (name.length >= 5) {
      for (let i = 1; i < name.length - 1; i++) {
        if (isIdentityChar(name[i]!)) continue;
        const shorter = name.slice(0, i) + name.slice(i + 1);
        if (this.aliases.has(shorter)) add(shorter, 'extra_char');
      }
    }
    if (!found.size) return { verdict: 'none', vetoed: false };

    const named = stripMentions(name, mentions);
    const survivors = [...found].filter(([u, { via }]) => {
      const p = this.profiles[u]!;
      if (!sameList(numbersIn(name), p.numbers)) return false;
      if (typeFamily(name) !== p.family) return false;
      if (directionsIn(named) !== p.directions && directionsIn(name) !== directionsIn(p.canon)) return false;
      // A shortened spelling keeps the identifying characters: 兰大附中 is not 兰交大附中.
      return via !== 'subsequence' || [...p.stem].every((ch) => name.includes(ch));
    });
    if (!survivors.length) return { verdict: 'none', vetoed: true };
    const pilots = new Map<number, boolean>();
    const maybe = new Set<number>();
    for (const [u, { bare }] of survivors) this.judge([u], mentions, bare, pilots, maybe);
    const via = found.get([...pilots.keys()][0] ?? -1)?.via ?? 'subsequence';
    if (pilots.size + maybe.size > 1) {
      for (const u of pilots.keys()) maybe.add(u);
      pilots.clear();
    }
    return this.conclude(pilots, maybe, via);
  }

  private matchLatin(text: string): UnitMatch {
    const q = headText(canonicalLatin(text), MAX_NAME * 3);
    const { latin, bareLatin, maxLatin } = this.pinyin;
    const hits: { start: number; end: number; units: number[]; key: string }[] = [];
    for (let start = 0; start < q.length; start++) {
      for (let len = Math.min(maxLatin, q.length - start); len >= 8; len--) {
        const owners = latin.get(q.slice(start, start + len));
        if (owners) {
          const key = q.slice(start, start + len);
          hits.push({ start, end: start + len, units: strongest(owners), key });
          break;
        }
      }
    }
    const maximal = hits.filter((h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end));
    const units = new Set(maximal.flatMap((h) => h.units));
    if (units.size === 1) {
      const [u] = [...units] as [number];
      const p = this.profiles[u]!;
      const bare = maximal.every((h) => bareLatin.has(`${u}:${h.key}`));
      if (p.sharedName && bare) return { verdict: 'ambiguous', units: [p.unit], generic: true };
      return { verdict: 'pilot', unit: p.unit, caveat: false, via: 'pinyin' };
    }
    if (units.size > 1) return { verdict: 'ambiguous', units: [...units].map((u) => this.unit(u)) };
    return { verdict: 'none', vetoed: false };
  }

  private unit(index: number): Unit {
    return this.profiles[index]!.unit;
  }
}

type Relation = 'identifies' | 'consistent' | 'contradicts';

/** The place relation of a mention to a unit: the best over everything the form may mean. */
export function relation(mention: PlaceMention, unit: Unit): Relation {
  let best: Relation = 'contradicts';
  for (const place of mention.places) {
    const r = placeRelation(place, unit);
    if (r === 'identifies') return r;
    if (r === 'consistent') best = r;
  }
  return best;
}

function placeRelation(place: Place, unit: Unit): Relation {
  switch (place.level) {
    case 'country':
      return 'consistent';
    case 'province':
      return place.name === unit.province ? 'consistent' : 'contradicts';
    case 'prefecture':
      if (place.name !== unit.prefecture) return 'contradicts';
      return unit.county ? 'consistent' : 'identifies';
    case 'county':
      if (place.prefecture !== unit.prefecture) return 'contradicts';
      if (!unit.county) return 'consistent';
      return place.name === unit.county ? 'identifies' : 'contradicts';
  }
}

/**
 * What the places named around a candidate say: a contradiction vetoes it; for a generic core
 * named bare, places that fit without pinning the unit down veto it too (strict).
 */
function placeVerdict(
  profile: UnitProfile,
  mentions: readonly PlaceMention[],
  bare: boolean,
): 'veto' | 'identified' | 'consistent' | 'unplaced' {
  const relations = mentions.map((m) => relation(m, profile.unit));
  if (relations.includes('contradicts')) return 'veto';
  // A museum or centre belongs to the level its name carries: 甘肃省地震博物馆 is the province's,
  // not 兰州市地震博物馆. Naming another level without the unit's own is another institution.
  if (
    bare &&
    profile.nameLevel &&
    (profile.family === 'museum' || profile.family === 'centre') &&
    mentions.length &&
    !mentions.some((m) =>
      m.places.some((p) => p.level === profile.nameLevel && placeRelation(p, profile.unit) !== 'contradicts'),
    )
  )
    return 'veto';
  const strict = bare && profile.genericCore;
  // Strict: the place must be the one the official name carries, at the same level. 兰州市科技馆
  // is the city's museum, not 甘肃科技馆 (whose name carries the province).
  const identifies = (m: PlaceMention) =>
    m.places.some(
      (p) => placeRelation(p, profile.unit) === 'identifies' && (!strict || p.level === profile.nameLevel),
    );
  if (mentions.some(identifies)) return 'identified';
  if (!relations.length) return 'unplaced';
  return strict ? 'veto' : 'consistent';
}

function aliasesWithStrength(profile: UnitProfile): { alias: string; bare: boolean; strength: Strength }[] {
  return generateAliases(profile).map(({ alias, bare, gapped }) => ({
    alias,
    bare,
    strength: alias === profile.canon ? 3 : gapped ? 1 : 2,
  }));
}

/** The pinyin side of the alias index: pinyin-pro takes most of its build, so it waits for a question that needs it. */
interface PinyinTables {
  /** Pinyin key of an alias → the units it may name, as for the Chinese aliases. */
  readonly latin: AliasTable;
  readonly bareLatin: ReadonlySet<string>;
  /** Pinyin key → the aliases that read so (homophones). */
  readonly byPinyin: ReadonlyMap<string, readonly string[]>;
  readonly maxLatin: number;
}

function pinyinTables(profiles: readonly UnitProfile[], aliases: Iterable<string>): PinyinTables {
  // Each alias's key is needed twice below.
  const keys = new Map<string, string>();
  const keyOf = (alias: string) => {
    let key = keys.get(alias);
    if (key === undefined) {
      key = pinyinKey(alias);
      keys.set(alias, key);
    }
    return key;
  };
  const latin: AliasTable = new Map();
  const bareLatin = new Set<string>();
  const byPinyin = new Map<string, string[]>();
  let maxLatin = 0;
  profiles.forEach((profile, index) => {
    for (const { alias, bare, strength } of aliasesWithStrength(profile)) {
      const key = keyOf(alias);
      addAlias(latin, key, index, strength);
      if (bare) bareLatin.add(`${index}:${key}`);
      maxLatin = Math.max(maxLatin, key.length);
    }
  });
  for (const alias of aliases) pushTo(byPinyin, keyOf(alias), alias);
  return { latin, bareLatin, byPinyin, maxLatin };
}

function addAlias(table: AliasTable, alias: string, unit: number, strength: Strength): void {
  let owners = table.get(alias);
  if (!owners) {
    owners = new Map();
    table.set(alias, owners);
  }
  owners.set(unit, Math.max(owners.get(unit) ?? 0, strength) as Strength);
}

/** The units an alias names at its highest strength (one unit unless it is truly shared). */
function strongest(owners: ReadonlyMap<number, Strength>): number[] {
  const top = Math.max(...owners.values());
  return [...owners].filter(([, s]) => s === top).map(([u]) => u);
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isSubsequence(needle: string, haystack: string): boolean {
  let i = 0;
  for (const ch of haystack) if (ch === needle[i]) i++;
  return i === needle.length;
}

/** Same length, and every differing character is an ordinary (non-identity) character. */
function homophoneOnly(a: string, b: string): boolean {
  let diffs = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (isIdentityChar(a[i]!) || isIdentityChar(b[i]!)) return false;
    diffs++;
  }
  return diffs > 0 && diffs <= 2;
}

/** Words around a name that say nothing about which institution it is. */
const FILLER =
  /我们|咱们|我校|本校|贵校|这个|那个|这所|那所|就是|叫做|全称|名字|今年|现在|目前|请问|一下|老师|学校|单位|的|是|叫|在|位于|属于|里|那|就|也|还|都|吗|呢|啊|吧|嘛|么|不|没|呀|哦|哈|你|您|好|想|问|下|查|帮|我|们|省|市|县|区|州/g;

/** What a hit leaves unexplained in the name: characters outside the alias and outside places, minus filler. */
function leftover(name: string, hit: Hit, mentions: readonly PlaceMention[]): string {
  let rest = '';
  for (let i = 0; i < name.length; i++) {
    if (i >= hit.start && i < hit.end) continue;
    if (mentions.some((m) => i >= m.start && i < m.end && (m.end <= hit.start || m.start >= hit.end)))
      continue;
    rest += name[i];
  }
  return rest.replace(FILLER, '');
}

function stripMentions(text: string, mentions: readonly PlaceMention[]): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += text.slice(at, m.start);
    at = m.end;
  }
  return out + text.slice(at);
}
