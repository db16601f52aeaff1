import { readFileSync } from 'node:fs';
import type { Answer } from '../../src/domain/answer.js';

export type Labelled =
  | { q: string; expect: 'pilot'; kind: 'unit' | 'city'; name: string; rule?: string }
  | { q: string; expect: 'not_pilot'; rule?: string }
  | { q: string; expect: 'ambiguous'; includes: string[]; rule?: string }
  | { q: string; expect: 'list_units'; city: string; count: number; rule?: string };

export function readLabelled(path: string): Labelled[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);
}

/** Whether an answer meets its label, and whether it is a false "yes" (the costly error). */
export function judge(label: Labelled, a: Answer): { ok: boolean; falsePositive: boolean } {
  const claimsPilot = a.verdict === 'pilot';
  switch (label.expect) {
    case 'pilot': {
      const first = a.matches[0];
      const ok = claimsPilot && first?.kind === label.kind && first.name === label.name;
      return { ok, falsePositive: claimsPilot && !ok };
    }
    case 'not_pilot':
      return {
        ok: !claimsPilot && a.verdict !== 'ambiguous' && a.matches.length === 0,
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
  }
}
