import type { Answer } from '../../src/domain/answer.js';
import { judge, type Labelled } from '../support/labelled.js';

export interface Failure {
  readonly label: Labelled;
  readonly answer: Answer;
  readonly falsePositive: boolean;
}

export interface RuleScore {
  n: number;
  correct: number;
  falsePositives: number;
}

export interface Score {
  readonly total: number;
  readonly correct: number;
  readonly falsePositives: number;
  readonly failures: readonly Failure[];
  readonly byRule: ReadonlyMap<string, RuleScore>;
}

/**
 * Answers every labelled query once and scores it with the project's judge: a pilot answer must
 * name the labelled entry first; a not_pilot answer must neither claim pilot nor list candidates;
 * a false positive is any pilot claim that is not the labelled one. Also serves as the warm-up.
 */
export function score(labels: readonly Labelled[], answer: (q: string) => Answer): Score {
  const failures: Failure[] = [];
  const byRule = new Map<string, RuleScore>();
  let correct = 0;
  let falsePositives = 0;
  for (const label of labels) {
    const a = answer(label.q);
    const verdict = judge(label, a);
    const rule = label.rule ?? label.expect;
    const r = byRule.get(rule) ?? { n: 0, correct: 0, falsePositives: 0 };
    r.n++;
    if (verdict.ok) {
      correct++;
      r.correct++;
    } else {
      failures.push({ label, answer: a, falsePositive: verdict.falsePositive });
    }
    if (verdict.falsePositive) {
      falsePositives++;
      r.falsePositives++;
    }
    byRule.set(rule, r);
  }
  return { total: labels.length, correct, falsePositives, failures, byRule };
}

/** One line for a failure: the query, what was answered, what was expected. */
export function describeFailure(f: Failure, maxNames = 4): string {
  const { label, answer } = f;
  const names = answer.matches.map((m) => m.name);
  const shown =
    names.slice(0, maxNames).join('、') + (names.length > maxNames ? ` …(+${names.length - maxNames})` : '');
  const got = `${answer.verdict ?? answer.intent}${shown ? ` ${shown}` : ''}`;
  const expected =
    label.expect === 'pilot'
      ? `pilot ${label.name}`
      : label.expect === 'ambiguous'
        ? `ambiguous incl. ${label.includes.join('、')}`
        : label.expect === 'list_units'
          ? `list_units ${label.city} (${label.count})`
          : 'not_pilot';
  return `${f.falsePositive ? 'FALSE POSITIVE' : 'miss'} [${label.rule ?? label.expect}] ${label.q} → ${got}  (expected ${expected})`;
}
