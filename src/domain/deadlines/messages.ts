import type { Contact, Unit } from '../roster.js';
import type { Audience, Deadline } from './deadline.js';
import type { Digest } from './planner.js';
import { formatLocal, timeLeft } from './time-text.js';

/** Chinese texts about deadlines: reminders, lists, status. Plain text, no parse mode. */

export function audienceLabel(audience: Audience, unitName: (id: number) => string | undefined): string {
  switch (audience.kind) {
    case 'all_units':
      return '全部试点单位';
    case 'pilot_cities':
      return '各试点城市';
    case 'prefecture':
      return `${audience.prefecture}的试点单位`;
    case 'units': {
      const names = audience.unitIds.map((id) => unitName(id) ?? `#${id}`);
      return names.length > 3 ? `${names.slice(0, 3).join('、')}等 ${names.length} 个单位` : names.join('、');
    }
    case 'coordinators':
      return '省、市州协调人';
  }
}

export interface DigestContext {
  readonly deadlines: ReadonlyMap<number, Deadline>;
  readonly unitName: (id: number) => string | undefined;
  readonly contact: Contact | undefined;
  readonly timeZone: string;
  readonly now: number;
}

/** A unit marks a deadline done. */
export interface AckAction {
  readonly kind: 'ack';
  readonly deadlineId: number;
  readonly unitId: number;
}

export interface ReminderMessage {
  readonly text: string;
  /** 已完成 buttons for unit groups: [label, what pressing it means] (the bot fits and encodes them). */
  readonly buttons: readonly (readonly [string, AckAction])[];
}

/** The one message a chat gets in a tick: every due deadline merged. */
export function reminderMessage(digest: Digest, ctx: DigestContext): ReminderMessage {
  const late = digest.items.some((i) => i.late);
  const lines = [late ? '⏰ 截止提醒（补发：机器人离线期间错过的提醒）' : '⏰ 截止提醒'];
  const buttons: (readonly [string, AckAction])[] = [];
  for (const item of digest.items) {
    const d = ctx.deadlines.get(item.deadlineId);
    if (!d) continue;
    lines.push('');
    lines.push(`📌 ${d.title}${item.late ? '（补发）' : ''}`);
    lines.push(`截止：${formatLocal(d.dueAt, ctx.timeZone)}（${timeLeft(d.dueAt, ctx.now)}）`);
    if (d.submit) lines.push(`需提交：${d.submit}`);
    lines.push(`对象：${audienceLabel(d.audience, ctx.unitName)}`);
    if (item.progress) lines.push(`本市州进度：${item.progress.done}/${item.progress.total} 个单位已完成`);
    if (item.unitId !== null) {
      const name = ctx.unitName(item.unitId);
      if (name) lines.push(`本群单位：${name}（完成后请点下方“已完成”）`);
      buttons.push([`✅ 已完成：${d.title}`, { kind: 'ack', deadlineId: d.id, unitId: item.unitId }]);
    }
  }
  lines.push('');
  lines.push(
    ctx.contact
      ? `有问题请联系${ctx.contact.person}（${ctx.contact.phone}）。发送 /deadlines 查看全部截止事项。`
      : '发送 /deadlines 查看全部截止事项。',
  );
  return { text: lines.join('\n'), buttons };
}

/** Upcoming deadlines first (soonest first, with time left), then the most recent past ones. */
export function deadlinesText(
  deadlines: readonly Deadline[],
  now: number,
  timeZone: string,
  scope: string | null,
  unitName: (id: number) => string | undefined,
  doneIds: ReadonlySet<number> = new Set(),
): string {
  const upcoming = deadlines.filter((d) => d.dueAt > now).sort((a, b) => a.dueAt - b.dueAt);
  const past = deadlines
    .filter((d) => d.dueAt <= now)
    .sort((a, b) => b.dueAt - a.dueAt)
    .slice(0, 5);
  const lines = [scope ? `${scope}的截止事项：` : '截止事项：'];
  if (!upcoming.length) lines.push('· 目前没有未到期的截止事项。');
  for (const d of upcoming) {
    const done = doneIds.has(d.id) ? '（本单位已完成）' : '';
    lines.push(`· #${d.id} ${d.title}：${formatLocal(d.dueAt, timeZone)}，${timeLeft(d.dueAt, now)}${done}`);
    if (d.submit) lines.push(`  需提交：${d.submit}`);
    lines.push(`  对象：${audienceLabel(d.audience, unitName)}`);
  }
  if (past.length) {
    lines.push('', '已过期：');
    for (const d of past) lines.push(`· #${d.id} ${d.title}：${formatLocal(d.dueAt, timeZone)}（已截止）`);
  }
  return lines.join('\n');
}

export interface StatusUnit extends Pick<Unit, 'id' | 'name' | 'prefecture'> {}

/** Done and pending units of a deadline, per prefecture. */
export function statusText(
  deadline: Deadline,
  units: readonly StatusUnit[],
  done: ReadonlyMap<number, { userName: string | null; at: number }>,
  timeZone: string,
  now: number,
): string {
  const lines = [
    `#${deadline.id} ${deadline.title}`,
    `截止：${formatLocal(deadline.dueAt, timeZone)}（${timeLeft(deadline.dueAt, now)}）`,
    `已完成 ${units.filter((u) => done.has(u.id)).length}/${units.length} 个单位`,
  ];
  const byPrefecture = new Map<string, StatusUnit[]>();
  for (const u of units) byPrefecture.set(u.prefecture, [...(byPrefecture.get(u.prefecture) ?? []), u]);
  for (const [prefecture, list] of byPrefecture) {
    const finished = list.filter((u) => done.has(u.id));
    const pending = list.filter((u) => !done.has(u.id));
    lines.push('', `【${prefecture}】${finished.length}/${list.length}`);
    if (finished.length) {
      lines.push('已完成：');
      for (const u of finished) {
        const mark = done.get(u.id)!;
        lines.push(`· ${u.name}（${mark.userName ?? '未知'} 于 ${formatLocal(mark.at, timeZone)} 标记）`);
      }
    }
    if (pending.length) lines.push(`未完成：${pending.map((u) => u.name).join('、')}`);
  }
  return lines.join('\n');
}
