import type { Matcher } from '../matching/matcher.js';
import type { PlaceIndex, PlaceMention } from '../places/china.js';
import { coverage } from '../replies.js';
import type { Prefecture, Roster, Unit } from '../roster.js';

/**
 * What answering reads from one roster snapshot besides the matcher: units by id and by township,
 * prefectures by name, the provinces covered and their pilot cities.
 */
export class RosterLookup {
  /** Township forms (洮阳镇, 洮阳) → the units named after them. */
  readonly towns = new Map<string, Unit[]>();
  private readonly maxTown: number;
  private readonly byId: Map<number, Unit>;
  private coveredText: string | undefined;

  constructor(
    readonly roster: Roster,
    readonly places: PlaceIndex,
    readonly matcher: Matcher,
  ) {
    for (const profile of matcher.profiles) {
      for (const seg of profile.segments) {
        if (seg.level !== 'town') continue;
        for (const form of seg.forms) {
          const list = this.towns.get(form) ?? [];
          list.push(profile.unit);
          this.towns.set(form, list);
        }
      }
    }
    this.maxTown = Math.max(0, ...[...this.towns.keys()].map((f) => f.length));
    this.byId = new Map(roster.units.map((u) => [u.id, u]));
  }

  unitById(id: number): Unit | undefined {
    return this.byId.get(id);
  }

  prefecture(name: string): Prefecture | undefined {
    return this.roster.prefectures.find((p) => p.name === name);
  }

  /** The pilot cities of the roster, or of one of its provinces. */
  pilotCities(province?: string): string[] {
    return this.roster.prefectures
      .filter((p) => p.pilotCity && (!province || p.province === province))
      .map((p) => p.name);
  }

  /** What the roster covers, in words; computed once per roster snapshot. */
  covered(): string {
    this.coveredText ??= coverage(this.roster);
    return this.coveredText;
  }

  /** Whether the roster covers a province (its places get a status; others are out of scope). */
  covers(province: string): boolean {
    return this.roster.prefectures.some((p) => p.province === province);
  }

  /** The roster's prefectures among the places mentioned, in order, each once. */
  prefecturesIn(mentions: readonly PlaceMention[]): Prefecture[] {
    const out: Prefecture[] = [];
    for (const m of mentions) {
      for (const p of m.places) {
        if (p.level !== 'prefecture') continue;
        const pref = this.prefecture(p.name);
        if (pref && !out.includes(pref)) out.push(pref);
      }
    }
    return out;
  }

  /** The text without the roster township forms it contains (兴国镇 of 秦安县 before any place of China). */
  withoutTowns(text: string): string {
    let rest = text;
    for (const form of this.townsIn(text)) rest = rest.replace(form, '');
    return rest;
  }

  /** Roster township forms of three or more characters (洮阳镇) found in a text, longest first per position. */
  townsIn(text: string): string[] {
    const out: string[] = [];
    for (let start = 0; start < text.length; start++) {
      for (let len = Math.min(this.maxTown, text.length - start); len >= 3; len--) {
        const form = text.slice(start, start + len);
        if (this.towns.has(form)) {
          out.push(form);
          break;
        }
      }
    }
    return out;
  }
}
