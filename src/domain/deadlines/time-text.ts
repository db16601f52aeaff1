import { DateTime } from 'luxon';

/** A local date and time as coordinators write it: 2026-12-15 17:00. */
export function formatLocal(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
}

/** Time left in Chinese: 还有3天5小时 / 还有2小时 / 还有25分钟 / 已截止. */
export function timeLeft(dueAt: number, now: number): string {
  const ms = dueAt - now;
  if (ms <= 0) return '已截止';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return hours ? `还有${days}天${hours}小时` : `还有${days}天`;
  if (hours > 0) return `还有${hours}小时`;
  return `还有${Math.max(1, minutes)}分钟`;
}

/**
 * Parses a due time typed by a person: 2026-12-15, 2026-12-15 17:00, 2026/12/15 17:00,
 * 12-15 17:00, 2026年12月15日, 12月15日17点, or ISO 8601 with an offset. Without a year, the next
 * such date from `now`; without a time, 23:59 local. Null when it cannot be read or does not exist.
 */
export function parseDueTime(text: string, timeZone: string, now: number): number | null {
  const t = text.normalize('NFKC').trim();
  if (/^\d{4}-\d{2}-\d{2}T/.test(t)) {
    const iso = DateTime.fromISO(t, { zone: timeZone, setZone: false });
    return iso.isValid ? iso.toMillis() : null;
  }
  // The hour needs a space or 日 before it (2026-12-151 is not the 15th at 1:00), and a colon
  // needs minutes after it; seconds are accepted and ignored.
  const m =
    /^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})(?:日|(?=\s)|$)(?:\s*(\d{1,2})(?:(?:[:：](\d{2})(?::\d{2})?)|点(?:(\d{1,2})分?)?|时)?)?$/.exec(
      t.replace(/\s+/g, ' '),
    );
  if (!m) return null;
  const [, y, mo, d, h, colonMinutes, chineseMinutes] = m;
  const minute = Number(colonMinutes ?? chineseMinutes ?? 0);
  const build = (year: number) =>
    DateTime.fromObject(
      { year, month: Number(mo), day: Number(d), hour: h ? Number(h) : 23, minute: h ? minute : 59 },
      { zone: timeZone },
    );
  if (y) {
    const dt = build(Number(y));
    return dt.isValid ? dt.toMillis() : null;
  }
  // No year: the next such date from now (looking far enough ahead for 2-29).
  const year = DateTime.fromMillis(now, { zone: timeZone }).year;
  for (let i = 0; i <= 8; i++) {
    const dt = build(year + i);
    if (dt.isValid && dt.toMillis() >= now) return dt.toMillis();
  }
  return null;
}
