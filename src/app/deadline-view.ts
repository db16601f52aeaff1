import {
  type AudienceMember,
  type AudienceRoster,
  audienceRoster,
  concerns,
} from '../domain/deadlines/audience.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import { deadlinesText } from '../domain/deadlines/messages.js';
import { headText } from '../domain/text/cut.js';
import { simplify } from '../domain/text/normalize.js';
import type { DeadlinesPort, RosterPort } from './ports.js';

/** Whose deadlines to show: one unit's (a bound unit group), one prefecture's, or all. */
export type DeadlineScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'unit'; readonly unitId: number }
  | { readonly kind: 'prefecture'; readonly prefecture: string };

const DEADLINE_QUESTION =
  /截止|什么时候交|何时交|几号交|哪天交|什么时候提交|期限|到期|deadline|要交什么|交什么|提交时间|最近.*(任务|事项|安排)|总结报告|评估/;

/** True when free text asks about deadlines (总结报告什么时候交, 最近有什么截止). */
export function isDeadlineQuestion(text: string): boolean {
  return DEADLINE_QUESTION.test(headText(simplify(text), 200));
}

/** Deadline lists for people, scoped to a unit or prefecture. */
export class DeadlineView {
  constructor(
    private readonly deadlines: Pick<DeadlinesPort, 'all' | 'get' | 'acknowledgements'>,
    private readonly roster: Pick<RosterPort, 'load'>,
    private readonly timeZone: string,
  ) {}

  /** A deadline by id; null when there is none. */
  get(id: number): Deadline | null {
    return this.deadlines.get(id);
  }

  /** The deadlines of a scope, soonest first, recent past ones marked past. */
  text(now: number, scope: DeadlineScope = { kind: 'all' }, question?: string): string {
    const roster = this.roster.load();
    const names = new Map(roster.units.map((u) => [u.id, u.name]));
    const reader = audienceRoster(roster);
    const member = scopeMember(scope, reader);
    let list = this.deadlines.all().filter((d) => member === null || concerns(d.audience, member, reader));
    const asked = question ? this.mentioned(list, question) : [];
    if (asked.length) list = asked;
    let label: string | null = null;
    let done = new Set<number>();
    if (scope.kind === 'unit') {
      label = names.get(scope.unitId) ?? null;
      done = new Set(
        this.deadlines
          .acknowledgements()
          .filter((a) => a.unitId === scope.unitId)
          .map((a) => a.deadlineId),
      );
    } else if (scope.kind === 'prefecture') {
      label = scope.prefecture;
    }
    return deadlinesText(list, now, this.timeZone, label, (id) => names.get(id), done);
  }

  /** Deadlines whose title shares a word of two or more characters with the question. */
  private mentioned(list: readonly Deadline[], question: string): Deadline[] {
    const q = simplify(question);
    return list.filter((d) => {
      const title = simplify(d.title);
      for (let i = 0; i + 2 <= title.length; i++) {
        const bigram = title.slice(i, i + 2);
        if (!/试点|工作|截止|提交/.test(bigram) && q.includes(bigram)) return true;
      }
      return false;
    });
  }
}

/** The group a scope stands for, as an audience member; null for everyone. */
function scopeMember(scope: DeadlineScope, roster: AudienceRoster): AudienceMember | null {
  if (scope.kind === 'all') return null;
  if (scope.kind === 'prefecture') return { kind: 'city', prefecture: scope.prefecture };
  const prefecture = roster.units.find((u) => u.id === scope.unitId)?.prefecture ?? null;
  return { kind: 'unit', unitId: scope.unitId, prefecture };
}
