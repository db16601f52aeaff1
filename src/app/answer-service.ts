import { type Clock, systemClock } from '../clock.js';
import { type Answer, Answerer, DUTIES } from '../domain/answer.js';
import type { Unit } from '../domain/roster.js';
import { headText } from '../domain/text/cut.js';
import { simplify } from '../domain/text/normalize.js';
import { type DeadlineScope, type DeadlineView, isDeadlineQuestion } from './deadline-view.js';
import type { RosterPort } from './ports.js';

/**
 * Answers messages from the current roster. The Answerer (and its alias index) is rebuilt only
 * when the stored roster version changes, so a roster edit takes effect on the next message.
 */
export class AnswerService {
  private cached: { version: number; answerer: Answerer } | null = null;

  constructor(
    private readonly store: Pick<RosterPort, 'load' | 'version' | 'contactOf'>,
    private readonly deadlines?: DeadlineView,
    private readonly clock: Pick<Clock, 'now'> = systemClock,
  ) {}

  current(): Answerer {
    const version = this.store.version();
    if (!this.cached || this.cached.version !== version) {
      this.cached = { version, answerer: new Answerer(this.store.load()) };
    }
    return this.cached.answerer;
  }

  /** A unit of the current roster by id. */
  unit(id: number): Unit | undefined {
    return this.current().roster.units.find((u) => u.id === id);
  }

  /** A unit's contact person and phone (for coordinators only; never shown to the public). */
  contactOf(unitId: number): { person: string | null; phone: string | null } | null {
    return this.store.contactOf(unitId);
  }

  /** Answers free text; deadline questions are answered from the stored deadlines. */
  answer(text: string, scope?: DeadlineScope): Answer {
    if (this.deadlines && isDeadlineQuestion(text) && !isDutyQuestion(text)) {
      return { intent: 'deadlines', matches: [], reply: this.deadlines.text(this.clock.now(), scope, text) };
    }
    return this.current().answer(text);
  }
}

/** When a question names a time (什么时候, 截止, 几号), it is about deadlines. */
const TIME_CUE = /什么时候|何时|几号|哪天|截止|期限|到期|deadline|最近|时间|多久|还有几天/;

/** 试点工作总结报告要交吗, 要交什么材料: what a pilot must do, not when something is due. */
function isDutyQuestion(text: string): boolean {
  const plain = headText(simplify(text), 200);
  return DUTIES.test(plain) && !TIME_CUE.test(plain);
}
