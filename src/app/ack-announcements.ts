import { formatLocal } from '../domain/deadlines/time-text.js';
import { type Notifier, sendInParts } from './notifier.js';
import type { DeadlinesPort, RosterPort } from './ports.js';

/** What announcing 已完成 marks reads and where it sends. */
export interface AckAnnouncementDeps {
  readonly roster: Pick<RosterPort, 'load'>;
  readonly deadlines: Pick<DeadlinesPort, 'all' | 'unannounced' | 'markAnnounced'>;
  readonly notifier: Notifier;
  /** A text as messages within Telegram's length limit (the bot's). */
  readonly splitMessage: (text: string) => string[];
  /** Private chats of a prefecture's city coordinators. */
  readonly cityCoordinatorsOf: (prefecture: string) => readonly number[];
  readonly timeZone: string;
}

/**
 * Tells each city coordinator, in one message per tick, of the 已完成 marks their prefecture's
 * units made since the last tick: who, when, in which group. A mark is recorded as announced
 * once every coordinator's message went out (or the prefecture has none); on a transient
 * failure it is announced again next tick. Returns the number of marks announced.
 */
export async function announceAcknowledgements(deps: AckAnnouncementDeps, now: number): Promise<number> {
  const marks = deps.deadlines.unannounced();
  if (!marks.length) return 0;
  const roster = deps.roster.load();
  const units = new Map(roster.units.map((u) => [u.id, u]));
  const titles = new Map(deps.deadlines.all().map((d) => [d.id, d.title]));
  const byPrefecture = new Map<string, typeof marks>();
  for (const m of marks) {
    const prefecture = units.get(m.unitId)?.prefecture ?? '';
    byPrefecture.set(prefecture, [...(byPrefecture.get(prefecture) ?? []), m]);
  }
  const done: typeof marks = [];
  for (const [prefecture, list] of byPrefecture) {
    const chats = prefecture ? deps.cityCoordinatorsOf(prefecture) : [];
    const lines = [`📬 ${prefecture} 新的完成标记（${list.length} 个）：`];
    for (const m of list) {
      const unit = units.get(m.unitId)?.name ?? `单位 #${m.unitId}`;
      lines.push(
        `· ${unit}：「${titles.get(m.deadlineId) ?? `#${m.deadlineId}`}」— ${m.userName ?? ''}（用户 ${m.userId}）于 ${formatLocal(m.at, deps.timeZone)}${m.chatId ? `，群 ${m.chatId}` : ''}`,
      );
    }
    const outcomes = await Promise.all(
      chats.map((chatId) =>
        sendInParts(deps.notifier, deps.splitMessage, { chatId, text: lines.join('\n') }),
      ),
    );
    if (outcomes.every((o) => o.ok || o.kind !== 'gave_up')) done.push(...list);
  }
  deps.deadlines.markAnnounced(done, now);
  return done.length;
}
