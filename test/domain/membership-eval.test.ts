import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Answerer } from '../../src/domain/answer.js';
import { judge, readLabelled } from '../support/labelled.js';
import { gansuRoster } from '../support/roster.js';

const answerer = new Answerer(gansuRoster());

function score(path: string) {
  const set = readLabelled(path);
  const failures: string[] = [];
  let falsePositives = 0;
  for (const label of set) {
    const answer = answerer.answer(label.q);
    const { ok, falsePositive } = judge(label, answer);
    if (falsePositive) falsePositives++;
    if (!ok) {
      failures.push(
        `${falsePositive ? 'FALSE POSITIVE' : 'miss'}: ${JSON.stringify(label)} → ${answer.verdict ?? answer.intent} ${answer.matches.map((m) => m.name).join('|')}`,
      );
    }
  }
  return { total: set.length, correct: set.length - failures.length, falsePositives, failures };
}

describe('membership answers on labelled queries', () => {
  it('answers the shared development set 100% correctly', () => {
    const result = score(join(import.meta.dirname, '..', 'fixtures', 'membership-dev.jsonl'));
    expect(result.failures).toEqual([]);
  });

  it('has no false positive and at most 2% misses on the project set (hard negatives for every rule)', () => {
    const result = score(join(import.meta.dirname, '..', 'fixtures', 'membership-labelled.jsonl'));
    console.info(
      `project set: ${result.correct}/${result.total} correct (${((100 * result.correct) / result.total).toFixed(1)}%), ${result.falsePositives} false positives`,
    );
    expect(result.total).toBeGreaterThanOrEqual(200);
    expect(result.falsePositives, result.failures.join('\n')).toBe(0);
    expect(result.correct / result.total, result.failures.join('\n')).toBeGreaterThanOrEqual(0.98);
  });
});
