import type { PlaceIndex, PlaceMention } from '../places/china.js';
import type { Roster, Unit } from '../roster.js';
import { headText } from '../text/cut.js';
import { withoutRanges } from '../text/ranges.js';
import { AliasIndex } from './alias-index.js';
import { aliasHits, fuzzyCandidates, type Hit, latinHits } from './candidates.js';
import { MAX_NAME, nameOf } from './name-part.js';
import { canonicalLatin } from './pinyin.js';
import { profileUnit, type UnitProfile } from './unit-profile.js';
import { conclude, emptyTally, judge, type UnitMatch } from './verdict.js';
import { keepsIdentity, leftover } from './vetoes.js';

export type { MatchVia } from './candidates.js';
export type { UnitMatch } from './verdict.js';

/**
 * Answers "which roster unit does this text name?" without false positives: candidates come from
 * the alias index (candidates.ts), face the vetoes (vetoes.ts) and are judged by the places named
 * around them (verdict.ts).
 */
export class Matcher {
  readonly profiles: readonly UnitProfile[];
  private readonly index: AliasIndex;

  constructor(
    roster: Roster,
    private readonly places: PlaceIndex,
  ) {
    this.profiles = roster.units.map((u) => profileUnit(u, roster));
    this.index = new AliasIndex(this.profiles);
  }

  /** Finds the roster unit a free text names; never guesses between near-misses. */
  match(text: string): UnitMatch {
    const name = nameOf(text);
    if (!name) return { verdict: 'none', vetoed: false };
    if (/^[a-z0-9]+$/.test(name) && /[a-z]{4}/.test(name)) return this.matchLatin(text);
    const mentions = this.places.findAll(name);
    const hits = aliasHits(this.index, name);
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
    return this.places.findAll(nameOf(text));
  }

  private judgeHits(name: string, hits: readonly Hit[], mentions: readonly PlaceMention[]): UnitMatch {
    const tally = emptyTally();
    for (const hit of hits) {
      // The alias must explain the whole name: anything else left over (二, 知行学院, 青少年, 分校)
      // makes it another institution.
      if (leftover(name, hit, mentions)) continue;
      // A place that only partly overlaps the alias is outside it: in 兴文县城关中学 the alias
      // 文县城关中 starts inside 兴文县, a county of Sichuan.
      const outside = mentions.filter((m) => m.start < hit.start || m.end > hit.end);
      judge(this.profiles, hit.units, outside, hit.bare, tally);
    }
    return conclude(this.profiles, tally, 'alias');
  }

  private fuzzy(name: string, mentions: readonly PlaceMention[]): UnitMatch {
    const stemmed = this.index.stems.get(name);
    if (stemmed) return { verdict: 'ambiguous', units: stemmed.map((u) => this.unit(u)) };
    if (name.length < 3 || name.length > 40) return { verdict: 'none', vetoed: false };
    const found = fuzzyCandidates(this.index, this.profiles, name);
    if (!found.size) return { verdict: 'none', vetoed: false };

    const named = withoutRanges(name, mentions);
    const survivors = [...found].filter(([u, { via }]) => keepsIdentity(name, named, this.profiles[u]!, via));
    if (!survivors.length) return { verdict: 'none', vetoed: true };
    const tally = emptyTally();
    for (const [u, { bare }] of survivors) judge(this.profiles, [u], mentions, bare, tally);
    const via = found.get([...tally.pilots.keys()][0] ?? -1)?.via ?? 'subsequence';
    if (tally.pilots.size + tally.maybe.size > 1) {
      for (const u of tally.pilots.keys()) tally.maybe.add(u);
      tally.pilots.clear();
    }
    return conclude(this.profiles, tally, via);
  }

  private matchLatin(text: string): UnitMatch {
    const maximal = latinHits(this.index, headText(canonicalLatin(text), MAX_NAME * 3));
    const units = new Set(maximal.flatMap((h) => h.units));
    if (units.size === 1) {
      const [u] = [...units] as [number];
      const p = this.profiles[u]!;
      const bare = maximal.every((h) => this.index.pinyin.bareLatin.has(`${u}:${h.key}`));
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
