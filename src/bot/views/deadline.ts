import { occurrences } from '../../domain/deadlines/deadline.js';
import { audienceLabel } from '../../domain/deadlines/messages.js';
import { formatLocal, timeLeft } from '../../domain/deadlines/time-text.js';
import { unitNameOf } from '../chat-scope.js';
import type { BotServices } from '../services.js';

/** A stored deadline in a few lines for its coordinators: due, audience, submission, reminders. */
export function describeDeadline(s: BotServices, id: number): string {
  const d = s.deadlineView.get(id);
  if (!d) return '';
  const times = occurrences(d, s.timeZone).map((o) => formatLocal(o.fireAt, s.timeZone).slice(5));
  return [
    `#${d.id} ${d.title}`,
    `截止：${formatLocal(d.dueAt, s.timeZone)}（${timeLeft(d.dueAt, s.clock.now())}）`,
    `对象：${audienceLabel(d.audience, (unitId) => unitNameOf(s, unitId))}`,
    d.submit ? `提交：${d.submit}` : null,
    `提醒：${times.length ? times.join('、') : '无'}`,
  ]
    .filter(Boolean)
    .join('\n');
}
