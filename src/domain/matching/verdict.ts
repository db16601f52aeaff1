import type { PlaceMention } from '../places/china.js';
import type { Unit } from '../roster.js';
import type { MatchVia } from './candidates.js';
import type { UnitProfile } from './unit-profile.js';
import { placeVerdict } from './vetoes.js';

export type UnitMatch =
  | { readonly verdict: 'pilot'; readonly unit: Unit; readonly caveat: boolean; readonly via: MatchVia }
  /** generic: the name is shared by many schools of the province; the listed ones are candidates. */
  | { readonly verdict: 'ambiguous'; readonly units: readonly Unit[]; readonly generic?: boolean }
  /** vetoed: a near-miss was found and rejected (a different number, type, direction or place). */
  | { readonly verdict: 'none'; readonly vetoed: boolean };

/**
 * The candidates of one name sorted by what the places say: sure ones (pilots, each with a caveat
 * flag: a shared name named without its place) and possible ones (maybe).
 */
export interface Tally {
  readonly pilots: Map<number, boolean>;
  readonly maybe: Set<number>;
}

export function emptyTally(): Tally {
  return { pilots: new Map(), maybe: new Set() };
}

/**
 * Sorts candidates into sure (pilots, with a caveat flag) and possible (maybe) by the places
 * named around them. A generic core (城关小, 52中) is strict: a place that is consistent but does
 * not pin the unit down (平凉 for 静宁县城关小学, 甘南州 for 碌曲县藏族中学) names another school.
 */
export function judge(
  profiles: readonly UnitProfile[],
  units: readonly number[],
  mentions: readonly PlaceMention[],
  bare: boolean,
  { pilots, maybe }: Tally,
): void {
  const verdicts = units.map((u) => ({ u, v: placeVerdict(profiles[u]!, mentions, bare) }));
  const survivors = verdicts.filter((x) => x.v !== 'veto');
  const identified = survivors.filter((x) => x.v === 'identified');
  if (units.length === 1 && survivors.length === 1) {
    const { u, v } = survivors[0]!;
    pilots.set(u, v === 'unplaced' && bare && profiles[u]!.sharedName);
  } else if (identified.length === 1) {
    pilots.set(identified[0]!.u, false);
  } else {
    for (const { u } of survivors) maybe.add(u);
  }
}

/** One sure candidate is a yes (a candidate when its name is shared); several are candidates; none is a veto. */
export function conclude(
  profiles: readonly UnitProfile[],
  { pilots, maybe }: Tally,
  via: MatchVia,
): UnitMatch {
  const unit = (index: number) => profiles[index]!.unit;
  if (pilots.size === 1 && maybe.size === 0) {
    const [[u, caveat]] = [...pilots] as [[number, boolean]];
    // A generic name (逸夫小学, 南关小学) named without its place is a candidate, never a yes:
    // other schools of that name exist all over the province.
    if (caveat) return { verdict: 'ambiguous', units: [unit(u)], generic: true };
    return { verdict: 'pilot', unit: unit(u), caveat, via };
  }
  const all = new Set([...pilots.keys(), ...maybe]);
  if (all.size) return { verdict: 'ambiguous', units: [...all].sort((a, b) => a - b).map(unit) };
  return { verdict: 'none', vetoed: true };
}
