import { readFileSync } from 'node:fs';
import type { Answer, SpanResult } from '../../src/domain/answer.js';
import { simplify } from '../../src/domain/text/normalize.js';

/** One school's expectation inside a message that names several. */
export type LabelledResult =
  | { query: string; expect: 'pilot'; kind?: 'unit'; name: string }
  | { query: string; expect: 'not_pilot' }
  | { query: string; expect: 'ambiguous'; includes: string[] };

type Common = { q: string; rule?: string; class?: string };

export type Labelled = Common &
  (
    | { expect: 'pilot'; kind: 'unit' | 'city'; name: string }
    | { expect: 'not_pilot' }
    | { expect: 'ambiguous'; includes: string[] }
    | { expect: 'list_units'; city: string; count: number }
    | { expect: 'multiple'; results: LabelledResult[] }
    | { expect: 'cities' }
    | { expect: 'province'; scope: 'gansu' | 'national' }
    | { expect: 'greeting' }
    | { expect: 'ask_name' }
    | { expect: 'about'; topic?: 'fee' | 'duties' }
    | { expect: 'contact' }
  );

export function readLabelled(path: string): Labelled[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);
}

type Judged = { ok: boolean; falsePositive: boolean };

/** Whether one school's result meets its label; a false "yes" is a listed unit it is not. */
function judgeResult(label: LabelledResult, r: SpanResult | undefined): Judged {
  const claimsPilot = r?.verdict === 'pilot';
  const sameQuery = r !== undefined && sameMention(label.query, r.query);
  switch (label.expect) {
    case 'pilot': {
      const ok = sameQuery && claimsPilot && r.matches[0]?.name === label.name;
      return { ok, falsePositive: claimsPilot && r.matches[0]?.name !== label.name };
    }
    case 'not_pilot':
      return { ok: sameQuery && r.verdict === 'not_pilot', falsePositive: claimsPilot };
    case 'ambiguous': {
      const names = r?.matches.map((m) => m.name) ?? [];
      return {
        ok: sameQuery && r.verdict === 'ambiguous' && label.includes.every((n) => names.includes(n)),
        falsePositive: claimsPilot,
      };
    }
  }
}

/** The mention as written and as the answer quotes it: the same name up to punctuation and wrappers. */
function sameMention(a: string, b: string): boolean {
  const x = simplify(a);
  const y = simplify(b);
  return x.includes(y) || y.includes(x);
}

/** Whether an answer meets its label, and whether it is a false "yes" (the costly error). */
export function judge(label: Labelled, a: Answer): Judged {
  const claimsPilot = a.verdict === 'pilot';
  const anyPilot = claimsPilot || (a.results ?? []).some((r) => r.verdict === 'pilot');
  switch (label.expect) {
    case 'pilot': {
      const first = a.matches[0];
      const ok = claimsPilot && first?.kind === label.kind && first.name === label.name;
      return { ok, falsePositive: claimsPilot && !ok };
    }
    case 'not_pilot':
      return {
        ok: !anyPilot && a.verdict !== 'ambiguous' && a.matches.length === 0,
        falsePositive: claimsPilot,
      };
    case 'ambiguous': {
      const names = a.matches.map((m) => m.name);
      return {
        ok: a.verdict === 'ambiguous' && label.includes.every((n) => names.includes(n)),
        falsePositive: claimsPilot,
      };
    }
    case 'list_units':
      return {
        ok:
          a.intent === 'list_units' &&
          a.matches.length === label.count &&
          a.matches.every((m) => m.city === label.city),
        falsePositive: false,
      };
    case 'multiple': {
      const results = a.results ?? [];
      const each = label.results.map((r, i) => judgeResult(r, results[i]));
      return {
        ok: a.verdict === 'multiple' && results.length === label.results.length && each.every((j) => j.ok),
        // One top-level yes for a school the label also calls a pilot (我问的是A，不是B) is the
        // wrong shape, not a false yes: only a yes for a school that is not a pilot is.
        falsePositive:
          (claimsPilot &&
            !label.results.some((r) => r.expect === 'pilot' && r.name === a.matches[0]?.name)) ||
          each.some((j) => j.falsePositive),
      };
    }
    case 'province':
      return { ok: a.intent === 'province' && a.scope === label.scope, falsePositive: anyPilot };
    case 'about':
      return {
        ok: a.intent === 'about' && (!label.topic || a.topic === label.topic),
        falsePositive: anyPilot,
      };
    case 'cities':
    case 'greeting':
    case 'ask_name':
    case 'contact':
      return { ok: a.intent === label.expect, falsePositive: anyPilot };
  }
}
