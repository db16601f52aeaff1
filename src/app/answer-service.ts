import type { RosterStore } from '../db/roster-store.js';
import { type Answer, Answerer } from '../domain/answer.js';

/**
 * Answers messages from the current roster. The Answerer (and its alias index) is rebuilt only
 * when the stored roster version changes, so a roster edit takes effect on the next message.
 */
export class AnswerService {
  private cached: { version: number; answerer: Answerer } | null = null;

  constructor(private readonly store: RosterStore) {}

  current(): Answerer {
    const version = this.store.version();
    if (!this.cached || this.cached.version !== version) {
      this.cached = { version, answerer: new Answerer(this.store.load()) };
    }
    return this.cached.answerer;
  }

  answer(text: string): Answer {
    return this.current().answer(text);
  }
}
