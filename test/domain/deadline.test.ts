import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFSETS, occurrences, parseOffsets } from '../../src/domain/deadlines/deadline.js';
import { formatLocal, parseDueTime, timeLeft } from '../../src/domain/deadlines/time-text.js';

const SHANGHAI = 'Asia/Shanghai';
/** An instant written with its offset, so every expectation names the wall clock it means. */
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO instant in test: ${iso}`);
  return ms;
};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('parseOffsets: what a coordinator may type as reminder times', () => {
  it.each([
    ['7d,3d,1d,0d', ['7d', '3d', '1d', '0d']],
    ['7,3,1,0', ['7d', '3d', '1d', '0d']],
    ['2h', ['2h']],
    ['7，3、1', ['7d', '3d', '1d']],
    ['7d 3d', ['7d', '3d']],
    [' 3d , 1d ', ['3d', '1d']],
    ['7天,2小时', ['7d', '2h']],
    ['７Ｄ，２Ｈ', ['7d', '2h']],
    ['365d', ['365d']],
    ['999h', ['999h']],
  ])('%s → %j', (text, offsets) => {
    expect(parseOffsets(text)).toEqual({ offsets });
  });

  it.each([
    // Sorted from the earliest reminder to the latest: the largest offset first.
    ['0d,1d,7d,3d', ['7d', '3d', '1d', '0d']],
    ['2h,1d', ['1d', '2h']],
    ['1d,2h,48h', ['48h', '1d', '2h']],
    // Written twice, kept once, whether in the same spelling or as a bare number.
    ['1,1d,3,3', ['3d', '1d']],
    ['2h,2H,2小时', ['2h']],
  ])('%s is ordered and de-duplicated as %j', (text, offsets) => {
    expect(parseOffsets(text)).toEqual({ offsets });
  });

  it.each([
    ['x', '无法识别提醒时间「x」'],
    ['7d,x', '无法识别提醒时间「x」'],
    ['-1', '无法识别提醒时间「-1」'],
    ['3w', '无法识别提醒时间「3w」'],
    ['1000h', '无法识别提醒时间「1000h」'],
    ['', '提醒时间不能为空'],
    [' ，、 ', '提醒时间不能为空'],
    ['400d', '提醒时间「400d」超过 365 天'],
    ['366', '提醒时间「366d」超过 365 天'],
  ])('%j is refused with a Chinese reason: %s', (text, error) => {
    expect(parseOffsets(text)).toEqual({ error });
  });

  it('the default offsets parse to themselves', () => {
    expect(parseOffsets(DEFAULT_OFFSETS.join(','))).toEqual({ offsets: [...DEFAULT_OFFSETS] });
  });
});

describe('occurrences: when each reminder fires', () => {
  const fires = (dueIso: string, offsets: string[], timeZone = SHANGHAI) =>
    occurrences({ dueAt: at(dueIso), offsets }, timeZone).map((o) => [
      o.key,
      new Date(o.fireAt).toISOString(),
    ]);
  const utc = (iso: string) => new Date(at(iso)).toISOString();

  it.each([
    {
      what: 'day offsets fire at 09:00 Shanghai time, across the end of February',
      due: '2026-03-02T17:00:00+08:00',
      offsets: ['7d', '3d', '1d', '0d'],
      expected: [
        ['7d', '2026-02-23T09:00:00+08:00'],
        ['3d', '2026-02-27T09:00:00+08:00'],
        ['1d', '2026-03-01T09:00:00+08:00'],
        ['0d', '2026-03-02T09:00:00+08:00'],
      ],
    },
    {
      what: 'across the end of the year',
      due: '2027-01-01T10:00:00+08:00',
      offsets: ['3d', '1d', '0d'],
      expected: [
        ['3d', '2026-12-29T09:00:00+08:00'],
        ['1d', '2026-12-31T09:00:00+08:00'],
        ['0d', '2027-01-01T09:00:00+08:00'],
      ],
    },
    {
      what: 'across a leap day',
      due: '2028-03-01T12:00:00+08:00',
      offsets: ['1d'],
      expected: [['1d', '2028-02-29T09:00:00+08:00']],
    },
    {
      what: 'a due time of 08:00 drops the same-day reminder (09:00 is after it)',
      due: '2026-12-15T08:00:00+08:00',
      offsets: ['1d', '0d'],
      expected: [['1d', '2026-12-14T09:00:00+08:00']],
    },
    {
      what: 'a due time of exactly 09:00 drops the same-day reminder (it would fire at the due time)',
      due: '2026-12-15T09:00:00+08:00',
      offsets: ['0d'],
      expected: [],
    },
    {
      what: 'a due time of midnight, like the 2022 summary report, has no same-day reminder',
      due: '2022-11-15T00:00:00+08:00',
      offsets: ['1d', '0d'],
      expected: [['1d', '2022-11-14T09:00:00+08:00']],
    },
    {
      what: 'hour offsets fire that many hours before the due time',
      due: '2026-12-15T17:00:00+08:00',
      offsets: ['24h', '2h'],
      expected: [
        ['24h', '2026-12-14T17:00:00+08:00'],
        ['2h', '2026-12-15T15:00:00+08:00'],
      ],
    },
    {
      what: 'hour offsets cross midnight and the year end',
      due: '2027-01-01T01:00:00+08:00',
      offsets: ['2h'],
      expected: [['2h', '2026-12-31T23:00:00+08:00']],
    },
    {
      what: 'a zero-hour offset never fires (it is not before the due time)',
      due: '2026-12-15T17:00:00+08:00',
      offsets: ['0h'],
      expected: [],
    },
    {
      what: 'day and hour offsets mixed come out in firing order, whatever the input order',
      due: '2026-12-15T17:00:00+08:00',
      offsets: ['2h', '0d', '7d'],
      expected: [
        ['7d', '2026-12-08T09:00:00+08:00'],
        ['0d', '2026-12-15T09:00:00+08:00'],
        ['2h', '2026-12-15T15:00:00+08:00'],
      ],
    },
  ])('$what', ({ due, offsets, expected }) => {
    expect(fires(due, offsets)).toEqual(expected.map(([key, iso]) => [key, utc(iso as string)]));
  });

  it('the same deadline in UTC fires at other instants (09:00 UTC, not 09:00 Shanghai)', () => {
    const due = '2026-03-02T17:00:00+08:00'; // 09:00 UTC
    expect(fires(due, ['7d', '0d'], 'UTC')).toEqual([['7d', utc('2026-02-23T09:00:00Z')]]);
    expect(fires(due, ['7d', '0d'], SHANGHAI)).toEqual([
      ['7d', utc('2026-02-23T01:00:00Z')],
      ['0d', utc('2026-03-02T01:00:00Z')],
    ]);
  });

  it('the local calendar day decides: midnight in Shanghai is still the previous day in UTC', () => {
    const due = '2026-12-15T00:00:00+08:00'; // 2026-12-14 16:00 UTC
    expect(fires(due, ['0d'], SHANGHAI)).toEqual([]);
    expect(fires(due, ['0d'], 'UTC')).toEqual([['0d', utc('2026-12-14T09:00:00Z')]]);
  });

  it('day offsets keep 09:00 local across a daylight-saving change', () => {
    // Berlin moves to summer time on 2026-03-29; three days before a 30 March deadline is still winter time.
    expect(fires('2026-03-30T12:00:00+02:00', ['3d', '0d'], 'Europe/Berlin')).toEqual([
      ['3d', utc('2026-03-27T09:00:00+01:00')],
      ['0d', utc('2026-03-30T09:00:00+02:00')],
    ]);
  });

  it('skips an offset it cannot read instead of failing', () => {
    expect(fires('2026-12-15T17:00:00+08:00', ['soon', '1d'])).toEqual([
      ['1d', utc('2026-12-14T09:00:00+08:00')],
    ]);
  });
});

describe('parseDueTime: due times as people type them', () => {
  // A fixed "now": 2026-11-20 10:00 in Shanghai.
  const NOW = at('2026-11-20T10:00:00+08:00');

  it.each([
    ['2026-12-15', '2026-12-15T23:59:00+08:00'],
    ['2026-12-15 17:00', '2026-12-15T17:00:00+08:00'],
    ['2026/12/15 17:00', '2026-12-15T17:00:00+08:00'],
    ['2026.12.15 17:00', '2026-12-15T17:00:00+08:00'],
    ['2026-1-5 9:30', '2026-01-05T09:30:00+08:00'],
    ['2026年12月15日', '2026-12-15T23:59:00+08:00'],
    ['2026年12月15日 17:30', '2026-12-15T17:30:00+08:00'],
    ['12月15日17点', '2026-12-15T17:00:00+08:00'],
    ['12月15日17点30分', '2026-12-15T17:30:00+08:00'],
    ['12月15日 17时', '2026-12-15T17:00:00+08:00'],
    ['12-15 17:00', '2026-12-15T17:00:00+08:00'],
    ['12-15 17：00', '2026-12-15T17:00:00+08:00'],
    ['２０２６－１２－１５　１７：００', '2026-12-15T17:00:00+08:00'],
    ['  2026-12-15   17:00  ', '2026-12-15T17:00:00+08:00'],
    // Without a year: the next such date, so a date already past this year means next year.
    ['11-01 17:00', '2027-11-01T17:00:00+08:00'],
    ['1月5日', '2027-01-05T23:59:00+08:00'],
    ['11-20 09:00', '2027-11-20T09:00:00+08:00'],
    ['11-20', '2026-11-20T23:59:00+08:00'],
    // ISO 8601 with an offset is taken as the instant it names; without one, as Shanghai time.
    ['2026-12-15T17:00:00+08:00', '2026-12-15T17:00:00+08:00'],
    ['2026-12-15T09:00:00Z', '2026-12-15T17:00:00+08:00'],
    ['2026-12-15T17:00', '2026-12-15T17:00:00+08:00'],
  ])('%j → %s', (text, iso) => {
    expect(parseDueTime(text, SHANGHAI, NOW)).toBe(at(iso));
  });

  it.each([
    '2026-02-30',
    '2026-13-01',
    '2026-12-15 25:00',
    '2026-12-15 17:60',
    '2026-02-30T10:00:00+08:00',
    '2月30日',
    '',
    '   ',
    'next friday',
    '下周五',
    '2026-12',
    '15/12/2026',
    '明天17点',
  ])('%j cannot be read or does not exist → null', (text) => {
    expect(parseDueTime(text, SHANGHAI, NOW)).toBeNull();
  });

  it('reads the wall clock in the given time zone', () => {
    expect(parseDueTime('2026-12-15 17:00', 'UTC', NOW)).toBe(at('2026-12-15T17:00:00Z'));
  });

  it('rolls a date without a year by the local calendar, not by UTC', () => {
    // 2026-12-31 17:00 UTC is already 1 January 2027 in Shanghai.
    const newYearInShanghai = at('2026-12-31T17:00:00Z');
    expect(parseDueTime('12-31', SHANGHAI, newYearInShanghai)).toBe(at('2027-12-31T23:59:00+08:00'));
    expect(parseDueTime('1-1 18:00', SHANGHAI, newYearInShanghai)).toBe(at('2027-01-01T18:00:00+08:00'));
    expect(parseDueTime('12-31', 'UTC', newYearInShanghai)).toBe(at('2026-12-31T23:59:00Z'));
  });
});

describe('timeLeft: how long until the due time, in Chinese', () => {
  const DUE = at('2026-12-15T17:00:00+08:00');

  it.each([
    [3 * DAY + 5 * HOUR, '还有3天5小时'],
    [3 * DAY + 5 * HOUR + 59 * MINUTE, '还有3天5小时'],
    [3 * DAY, '还有3天'],
    [DAY + 30 * MINUTE, '还有1天'],
    [2 * HOUR, '还有2小时'],
    [2 * HOUR + 59 * MINUTE, '还有2小时'],
    [25 * MINUTE, '还有25分钟'],
    [59 * MINUTE + 59_000, '还有59分钟'],
    [30_000, '还有1分钟'],
    [1, '还有1分钟'],
    [0, '已截止'],
    [-1, '已截止'],
    [-3 * DAY, '已截止'],
  ])('%d ms before the due time → %s', (left, text) => {
    expect(timeLeft(DUE, DUE - left)).toBe(text);
  });
});

describe('formatLocal: instants shown as local wall-clock time', () => {
  it.each([
    [SHANGHAI, '2026-12-15 17:00'],
    ['UTC', '2026-12-15 09:00'],
  ])('in %s → %s', (timeZone, text) => {
    expect(formatLocal(at('2026-12-15T17:00:00+08:00'), timeZone)).toBe(text);
  });

  it('round-trips with parseDueTime', () => {
    const due = at('2027-01-01T08:30:00+08:00');
    expect(parseDueTime(formatLocal(due, SHANGHAI), SHANGHAI, at('2026-11-20T10:00:00+08:00'))).toBe(due);
  });
});
