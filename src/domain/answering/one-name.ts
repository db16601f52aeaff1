import { MAX_NAME, nameOf, namePart } from '../matching/name-part.js';
import type { PlaceMention } from '../places/china.js';
import { ambiguousReply, notPilotReply, pilotReply } from '../replies.js';
import type { Unit } from '../roster.js';
import { endsInTypeHead, type Span } from '../sentence.js';
import { headText } from '../text/cut.js';
import { simplify } from '../text/normalize.js';
import { help } from './general.js';
import { isPlaceOnly } from './place-mentions.js';
import { cityMembership, placeNotes } from './place-questions.js';
import type { RosterLookup } from './roster-lookup.js';
import { type Answer, notPilot, unitEntry } from './types.js';
import { CITY_WORDS } from './words.js';

/**
 * Answering one mention: the unit it names (yes, candidates, or not listed with notes on its
 * place), or the city it names when it is only a place.
 */

/**
 * The answer about one name. `written` is the name as the user wrote it, given when the mention
 * was read out of a sentence: it is quoted back, and it is always answered as a school.
 */
export function single(lookup: RosterLookup, text: string, written?: string): Answer {
  const name = nameOf(text);
  const mentions = lookup.places.findAll(name);
  if (!written && isPlaceOnly(name, mentions, CITY_WORDS)) return cityMembership(lookup, mentions);
  return membership(lookup, text, name, mentions, written);
}

/** The "yes" for one listed unit. */
export function pilotAnswer(lookup: RosterLookup, unit: Unit): Answer {
  return {
    intent: 'membership',
    verdict: 'pilot',
    matches: [unitEntry(unit)],
    reply: pilotReply(unit, lookup.prefecture(unit.prefecture)),
  };
}

/** A line for each listed school among those named only as context (its true status). */
export function contextNotes(lookup: RosterLookup, spans: readonly Span[]): string[] {
  return spans.map((s) => contextNote(lookup, s)).filter((n): n is string => Boolean(n));
}

function contextNote(lookup: RosterLookup, span: Span): string | null {
  const answer = single(lookup, span.written, span.written);
  if (answer.verdict !== 'pilot') return null;
  return `（另：你提到的${answer.matches[0]?.name}是试点单位。）`;
}

function membership(
  lookup: RosterLookup,
  text: string,
  name: string,
  mentions: readonly PlaceMention[],
  written?: string,
): Answer {
  const result = lookup.matcher.match(text);
  const label = written ?? writtenName(text);
  if (result.verdict === 'pilot') return pilotAnswer(lookup, result.unit);
  if (result.verdict === 'ambiguous') {
    return {
      intent: 'membership',
      verdict: 'ambiguous',
      matches: result.units.map(unitEntry),
      reply: ambiguousReply(label, result.units, result.generic === true),
    };
  }
  if (!written && !result.vetoed && !looksLikeName(name, mentions)) return help('unknown');
  return notPilot(
    notPilotReply(lookup.covered(), label, placeNotes(lookup, mentions), lookup.roster.contacts[0]),
  );
}

/** A text worth a "not in the list" answer: it names a place or an institution, in Chinese. */
function looksLikeName(name: string, mentions: readonly PlaceMention[]): boolean {
  if (mentions.length) return true;
  return (
    /[\p{Script=Han}]{2,}/u.test(name) &&
    /(中|小|学校|大学|学院|馆|中心|集团|公司|园|九年制|一贯制)$/.test(name)
  );
}

/** The name part of a message as written (simplified), for quoting; '' when it is not a short name. */
function writtenName(text: string): string {
  const plain = namePart(headText(simplify(text), MAX_NAME));
  return plain.length <= 24 && /[\p{Script=Han}]{2,}/u.test(plain) && endsInTypeHead(plain) ? plain : '';
}
