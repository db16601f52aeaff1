import type { Prefecture, Unit } from '../roster.js';

export type Intent =
  | 'membership'
  | 'list_units'
  | 'cities'
  | 'province'
  | 'contact'
  | 'about'
  | 'help'
  | 'greeting'
  | 'ask_name'
  | 'deadlines'
  | 'unknown';
export type Verdict = 'pilot' | 'not_pilot' | 'ambiguous';

export interface MatchEntry {
  readonly kind: 'unit' | 'city';
  /** Official unit name, or canonical prefecture name for cities. */
  readonly name: string;
  /** Canonical prefecture name. */
  readonly city: string;
  /** Roster id, for units. */
  readonly unitId?: number;
}

/** One school's answer inside a message that names several. */
export interface SpanResult {
  /** The name as the user wrote it. */
  readonly query: string;
  readonly verdict: Verdict;
  readonly matches: readonly MatchEntry[];
}

/** One answer, the same for every channel (Telegram, console, CLI). */
export interface Answer {
  readonly intent: Intent;
  /** 'multiple': the message named several schools; each has its own result in `results`. */
  readonly verdict?: Verdict | 'multiple';
  readonly matches: readonly MatchEntry[];
  readonly reply: string;
  readonly results?: readonly SpanResult[];
  /** For province questions: the province's own list or the national programme. */
  readonly scope?: 'gansu' | 'national';
  /** For about questions: the topic asked. */
  readonly topic?: 'fee' | 'duties' | 'general';
}

export function unitEntry(unit: Unit): MatchEntry {
  return { kind: 'unit', name: unit.name, city: unit.prefecture, unitId: unit.id };
}

export function cityEntry(prefecture: Prefecture): MatchEntry {
  return { kind: 'city', name: prefecture.name, city: prefecture.name };
}

/** A membership "no" with its reply (not listed, not a pilot city, not covered). */
export function notPilot(reply: string): Answer {
  return { intent: 'membership', verdict: 'not_pilot', matches: [], reply };
}
