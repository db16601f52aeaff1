import type { RosterStore } from '../db/roster-store.js';
import { type Answer, Answerer } from '../domain/answer.js';
import { type DeadlineScope, type DeadlineView, isDeadlineQuestion } from './deadline-view.js';

/**
 * Answers messages from the current roster. The Answerer (and its alias index) is rebuilt only
 * when the stored roster version changes, so a roster edit takes effect on the next message.
 */
export class AnswerService {
  private cached: { version: number; answerer: Answerer } | null = null;

  constructor(
    private readonly store: RosterStore,
    private readonly deadlines?: DeadlineView,
    private readonly clock: () => number = Date.now,
  ) {}

  current(): Answerer {
    const version = this.store.version();
    if (!this.cached || this.cached.version !== version) {
      this.cached = { version, answerer: new Answerer(this.store.load()) };
    }
    return this.cached.answerer;
  }

  /** Answers free text; deadline questions are answered from the stored deadlines. */
  answer(text: string, scope?: DeadlineScope): Answer {
    if (this.deadlines && isDeadlineQuestion(text)) {
      return { intent: 'deadlines', matches: [], reply: this.deadlines.text(this.clock(), scope, text) };
    }
    return this.current().answer(text);
  }
}
