import { answerByClauses } from './answering/clauses.js';
import * as general from './answering/general.js';
import { pilotAnswer } from './answering/one-name.js';
import { isPlaceOnly } from './answering/place-mentions.js';
import { unitsOf } from './answering/place-questions.js';
import { RosterLookup } from './answering/roster-lookup.js';
import { check } from './answering/route.js';
import type { Answer } from './answering/types.js';
import { Matcher } from './matching/matcher.js';
import { nameOf } from './matching/name-part.js';
import { chinaPlaces, type PlaceIndex } from './places/china.js';
import type { Prefecture, Roster, Unit } from './roster.js';

export { DUTIES } from './answering/general.js';
export type { Answer, Intent, MatchEntry, SpanResult, Verdict } from './answering/types.js';

/**
 * Routes free text to an answer using the roster; pure (no I/O, no clock). How a message is read
 * lives in answering/: intent detection (route.ts), the clause-by-clause fallback (clauses.ts),
 * one mention (one-name.ts), several schools (multiple.ts), places (place-questions.ts,
 * vague-place.ts) and unnamed schools (ask-name.ts).
 */
export class Answerer {
  private readonly lookup: RosterLookup;

  constructor(
    readonly roster: Roster,
    places: PlaceIndex = chinaPlaces(),
  ) {
    this.lookup = new RosterLookup(roster, places, new Matcher(roster, places));
  }

  /** Answers one message of free text (see answering/clauses.ts). */
  answer(message: string): Answer {
    return answerByClauses(this.lookup, message);
  }

  /** /check: always a membership question, whatever the words. */
  check(message: string): Answer {
    return check(this.lookup, message);
  }

  greeting(): Answer {
    return general.greeting();
  }

  askName(): Answer {
    return general.askName();
  }

  /** 甘肃/全省: the province's cities and units; 全国: the national programme. */
  province(scope: 'gansu' | 'national'): Answer {
    return general.province(this.roster, scope);
  }

  /** /units: the units of one prefecture (or all, for 甘肃/empty). */
  units(text: string): Answer {
    return unitsOf(this.lookup, text);
  }

  cities(): Answer {
    return general.cities(this.roster);
  }

  contact(): Answer {
    return general.contact(this.roster);
  }

  /** /about and duty or fee questions: the question asked answered first, /about for the rest. */
  about(text = '', topic?: 'fee'): Answer {
    return general.about(text, topic);
  }

  help(intent: 'help' | 'unknown' = 'help'): Answer {
    return general.help(intent);
  }

  /** The Gansu prefecture a text names on its own (兰州, 临夏州), or null. */
  resolvePrefecture(text: string): Prefecture | null {
    const name = nameOf(text);
    const mentions = this.lookup.places.findAll(name);
    if (!isPlaceOnly(name, mentions, /市州|地区/g)) return null;
    const byShort = this.roster.prefectures.find(
      (p) => p.name === text.trim() || p.shortNames.includes(text.trim()),
    );
    return byShort ?? this.lookup.prefecturesIn(mentions).at(-1) ?? null;
  }

  /** The unit a text names: the unit, the candidates when ambiguous, or none. */
  resolveUnit(text: string): { unit: Unit } | { candidates: readonly Unit[] } | null {
    const result = this.lookup.matcher.match(text);
    if (result.verdict === 'pilot') return { unit: result.unit };
    if (result.verdict === 'ambiguous') return { candidates: result.units };
    return null;
  }

  /** The answer for one unit, e.g. after a button press. */
  forUnit(unitId: number): Answer | null {
    const unit = this.lookup.unitById(unitId);
    return unit ? pilotAnswer(this.lookup, unit) : null;
  }
}
