import { DateTime } from 'luxon';

/** Who a deadline is for. */
export type Audience =
  | { readonly kind: 'all_units' }
  | { readonly kind: 'pilot_cities' }
  | { readonly kind: 'prefecture'; readonly prefecture: string }
  | { readonly kind: 'units'; readonly unitIds: readonly number[] }
  | { readonly kind: 'coordinators' };

export interface Deadline {
  readonly id: number;
  readonly title: string;
  /** What to submit, in the coordinators' words. */
  readonly submit: string | null;
  /** Due instant, UTC epoch milliseconds. */
  readonly dueAt: number;
  readonly audience: Audience;
  /** Reminder offsets before the due instant: '7d' (days, at the reminder hour, local) or '2h' (hours). */
  readonly offsets: readonly string[];
  readonly source: string | null;
}

export const DEFAULT_OFFSETS = ['7d', '3d', '1d', '0d'] as const;
/** Local hour at which day offsets fire. */
export const REMINDER_HOUR = 9;

const OFFSET = /^(\d{1,3})([dh])$/;

/** Parses '7d,3d,1d,0d' or '7,3,1,0' (days) or '2h'; null with a reason when invalid. */
export function parseOffsets(text: string): { offsets: string[] } | { error: string } {
  const parts = text
    .normalize('NFKC')
    .split(/[,，、\s]+/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `${p}d` : p.replace(/天$/, 'd').replace(/小时$/, 'h')));
  if (!parts.length) return { error: '提醒时间不能为空' };
  const normalised: string[] = [];
  for (const p of parts) {
    const m = OFFSET.exec(p);
    if (!m) return { error: `无法识别提醒时间「${p}」` };
    const n = Number(m[1]);
    if (m[2] === 'd' && n > 365) return { error: `提醒时间「${p}」超过 365 天` };
    if (m[2] === 'h' && n === 0) return { error: '提醒时间「0h」就是截止那一刻，不会再提醒' };
    normalised.push(`${n}${m[2]}`);
  }
  const unique = [...new Set(normalised)];
  return { offsets: unique.sort((a, b) => offsetMillis(b) - offsetMillis(a)) };
}

function offsetMillis(offset: string): number {
  const m = OFFSET.exec(offset);
  if (!m) return 0;
  return Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
}

export interface Occurrence {
  /** The offset it comes from ('7d'): with the deadline and chat, the delivery's identity. */
  readonly key: string;
  /** When it fires, UTC epoch milliseconds. */
  readonly fireAt: number;
}

/**
 * When each reminder of a deadline fires: day offsets at the reminder hour local time, hour
 * offsets before the due instant. Occurrences not strictly before the due instant are dropped.
 */
export function occurrences(deadline: Pick<Deadline, 'dueAt' | 'offsets'>, timeZone: string): Occurrence[] {
  const due = DateTime.fromMillis(deadline.dueAt, { zone: timeZone });
  const out: Occurrence[] = [];
  for (const key of deadline.offsets) {
    const m = OFFSET.exec(key);
    if (!m) continue;
    const n = Number(m[1]);
    const fireAt =
      m[2] === 'd'
        ? due.startOf('day').minus({ days: n }).set({ hour: REMINDER_HOUR }).toMillis()
        : deadline.dueAt - n * 3_600_000;
    if (fireAt < deadline.dueAt) out.push({ key, fireAt });
  }
  // Two offsets landing on the same instant (0d and 2h before an 11:00 deadline) are one reminder.
  out.sort((a, b) => a.fireAt - b.fireAt || (a.key < b.key ? -1 : 1));
  return out.filter((o, i) => i === 0 || o.fireAt !== out[i - 1]!.fireAt);
}
