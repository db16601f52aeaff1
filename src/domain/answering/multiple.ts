import { multipleReply } from '../replies.js';
import type { Span } from '../sentence.js';
import { contextNotes, single } from './one-name.js';
import type { RosterLookup } from './roster-lookup.js';
import type { Answer, SpanResult, Verdict } from './types.js';

/**
 * Answers the institution spans of a message: the one asked about (with a note on each listed
 * school named as context), or one line each when several are asked about (`multiple`).
 */
export function spansAnswer(lookup: RosterLookup, spans: readonly Span[]): Answer {
  // A later mention that is the end of an earlier one refers back to it (兰州五十二中 … 五十二中, 附中).
  const distinct = spans.filter((s, i) => !spans.slice(0, i).some((o) => o.name.endsWith(s.name)));
  const asked = distinct.filter((s) => !s.context);
  const context = distinct.filter((s) => s.context);
  const focus = asked.length ? asked : context;
  const unique = focus.filter((s, i) => focus.findIndex((o) => o.name === s.name) === i);
  if (unique.length === 1) {
    const answer = single(lookup, unique[0]!.written, unique[0]!.written);
    const notes = contextNotes(
      lookup,
      context.filter((s) => asked.length && s.name !== unique[0]!.name),
    );
    return notes.length ? { ...answer, reply: `${answer.reply}\n${notes.join('\n')}` } : answer;
  }
  const out: SpanResult[] = unique.slice(0, 10).map((span) => {
    const answer = single(lookup, span.written, span.written);
    return {
      query: span.written,
      verdict: (answer.verdict ?? 'not_pilot') as Verdict,
      matches: answer.matches,
    };
  });
  return {
    intent: 'membership',
    verdict: 'multiple',
    matches: out.flatMap((r) => r.matches),
    results: out,
    reply: multipleReply(
      out.map(({ query, verdict, matches }) => ({
        query,
        verdict,
        units: matches.flatMap((m) => (m.unitId === undefined ? [] : [lookup.unitById(m.unitId)!])),
      })),
      lookup.covered(),
    ),
  };
}
