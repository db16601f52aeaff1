import { readSpans } from '../sentence.js';
import { headText } from '../text/cut.js';
import type { RosterLookup } from './roster-lookup.js';
import { answerMessage } from './route.js';
import { namesInstitution } from './span-kinds.js';
import type { Answer } from './types.js';

/**
 * Answers one message of free text: reads what it names, then what it asks about that. A
 * message of several clauses that names no institution and reads as a "no" as a whole (我们白银
 * 到底算不算试点城市啊，群里说法不一) is asked clause by clause: a list, city or province answer
 * of one clause, or its request for the school's name (我是白银的老师，我们学校算不算试点), is the
 * answer. A school's "yes" is never taken from a clause (context).
 */
export function answerByClauses(lookup: RosterLookup, message: string): Answer {
  const whole = answerMessage(lookup, message);
  if (whole.intent !== 'membership' || whole.verdict !== 'not_pilot' || whole.matches.length) return whole;
  const clauses = headText(message, 400)
    .split(/[，,。；;！!？?：:\s]+/)
    .filter((c) => c.trim());
  if (clauses.length < 2 || readSpans(message).some((s) => namesInstitution(lookup, s))) return whole;
  for (const clause of clauses) {
    const a = answerMessage(lookup, clause);
    const cityAnswer = a.intent === 'membership' && a.verdict === 'pilot' && a.matches[0]?.kind === 'city';
    const listed = a.intent === 'list_units' || a.intent === 'cities' || a.intent === 'province';
    if (listed || cityAnswer || a.intent === 'ask_name') return a;
  }
  return whole;
}
