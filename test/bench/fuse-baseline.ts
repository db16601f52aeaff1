import Fuse from 'fuse.js';
import type { Answer } from '../../src/domain/answer.js';
import type { Roster } from '../../src/domain/roster.js';

/** Fuse's own threshold and the score at or below which the naive baseline says "pilot". */
export const FUSE_THRESHOLD = 0.4;

interface Entry {
  readonly name: string;
  readonly city: string;
  readonly unitId: number;
}

/**
 * The naive baseline: Fuse.js over the official unit names, the raw query as the pattern, and the
 * top hit taken as the answer when its score is within the threshold. Answers in the same shape
 * as Answerer so the same judge scores both.
 */
export class FuseBaseline {
  private readonly fuse: Fuse<Entry>;

  constructor(roster: Roster) {
    const entries = roster.units.map((u) => ({ name: u.name, city: u.prefecture, unitId: u.id }));
    this.fuse = new Fuse(entries, { keys: ['name'], threshold: FUSE_THRESHOLD, includeScore: true });
  }

  answer(text: string): Answer {
    const best = this.fuse.search(text, { limit: 1 })[0];
    if (best && (best.score ?? 1) <= FUSE_THRESHOLD) {
      const { name, city, unitId } = best.item;
      return {
        intent: 'membership',
        verdict: 'pilot',
        matches: [{ kind: 'unit', name, city, unitId }],
        reply: '',
      };
    }
    return { intent: 'membership', verdict: 'not_pilot', matches: [], reply: '' };
  }
}
