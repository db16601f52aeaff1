import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Audience, DEFAULT_OFFSETS, type Deadline } from '../../src/domain/deadlines/deadline.js';
import {
  ackKey,
  type Binding,
  type Digest,
  deliveryKey,
  LATE_AFTER_MS,
  type PlanInput,
  plan,
  schedule,
} from '../../src/domain/deadlines/planner.js';

const TZ = 'Asia/Shanghai';
const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad ISO instant in test: ${iso}`);
  return ms;
};
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// A small roster: two units in 兰州市 (a pilot city) and one in 金昌市 (pilot units, but not a pilot city).
const UNITS = [
  { id: 11, prefecture: '兰州市' },
  { id: 12, prefecture: '兰州市' },
  { id: 21, prefecture: '金昌市' },
];
const PILOT_CITIES = new Set(['兰州市', '白银市', '定西市', '临夏回族自治州', '天水市']);

// Chats: negative ids are groups, positive ones private chats.
const LANZHOU_CITY = -1001;
const JINCHANG_CITY = -1002;
const UNIT_11 = -2011;
const UNIT_12 = -2012;
const UNIT_21 = -2021;
const COORDINATOR = 7001;

const BINDINGS: Binding[] = [
  {
    id: 1,
    chatId: LANZHOU_CITY,
    threadId: 0,
    kind: 'city',
    prefecture: '兰州市',
    unitId: null,
    active: true,
  },
  {
    id: 2,
    chatId: JINCHANG_CITY,
    threadId: 0,
    kind: 'city',
    prefecture: '金昌市',
    unitId: null,
    active: true,
  },
  { id: 3, chatId: UNIT_11, threadId: 0, kind: 'unit', prefecture: '兰州市', unitId: 11, active: true },
  { id: 4, chatId: UNIT_12, threadId: 0, kind: 'unit', prefecture: '兰州市', unitId: 12, active: true },
  { id: 5, chatId: UNIT_21, threadId: 0, kind: 'unit', prefecture: '金昌市', unitId: 21, active: true },
];

// The usual deadline: due Tuesday 2026-12-15 17:00; its 7d reminder fires 2026-12-08 09:00.
const DUE = at('2026-12-15T17:00:00+08:00');
const FIRES = {
  '7d': at('2026-12-08T09:00:00+08:00'),
  '3d': at('2026-12-12T09:00:00+08:00'),
  '1d': at('2026-12-14T09:00:00+08:00'),
  '0d': at('2026-12-15T09:00:00+08:00'),
};
/** The fixed clock: five minutes after the first reminder fired. */
const NOW = FIRES['7d'] + 5 * MINUTE;

function deadline(over: Partial<Deadline> & { audience: Audience }): Deadline {
  return {
    id: 1,
    title: '第四季度活动开展情况报送',
    submit: '活动照片和总结',
    dueAt: DUE,
    offsets: [...DEFAULT_OFFSETS],
    source: null,
    ...over,
  };
}

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    deadlines: [],
    bindings: BINDINGS,
    units: UNITS,
    pilotCities: PILOT_CITIES,
    acks: new Set(),
    delivered: new Set(),
    coordinatorChats: [COORDINATOR],
    now: NOW,
    timeZone: TZ,
    ...over,
  };
}

const chatsOf = (digests: readonly Digest[]) => digests.map((d) => d.chatId).sort((a, b) => a - b);
const digestFor = (digests: readonly Digest[], chatId: number) => {
  const found = digests.filter((d) => d.chatId === chatId);
  expect(found).toHaveLength(1);
  return found[0]!;
};
/** Records every planned item as delivered, as the reminder tick does after claiming it. */
const keysOf = (digests: readonly Digest[]) =>
  digests.flatMap((d) => d.items.map((i) => deliveryKey(i.deadlineId, i.occurrence, d.chatId, d.threadId)));

describe('the 2022 deadlines from the notices', () => {
  interface SeedDeadline {
    key: string;
    title: string;
    submit: string;
    due: string;
    audience: 'coordinators' | 'all-units';
    source: string;
  }
  const program = JSON.parse(readFileSync(new URL('../../data/program.json', import.meta.url), 'utf8')) as {
    deadlines: SeedDeadline[];
  };
  const NOTICE_DEADLINES: Deadline[] = program.deadlines.map((d, i) => ({
    id: i + 1,
    title: d.title,
    submit: d.submit,
    dueAt: at(d.due),
    audience: d.audience === 'coordinators' ? { kind: 'coordinators' } : { kind: 'all_units' },
    offsets: [...DEFAULT_OFFSETS],
    source: d.source,
  }));

  it('are in the seed data and all in 2022', () => {
    expect(NOTICE_DEADLINES.map((d) => new Date(d.dueAt).getUTCFullYear())).toEqual([2022, 2022]);
  });

  it('remind nobody now that they are past', () => {
    expect(plan(input({ deadlines: NOTICE_DEADLINES }))).toEqual([]);
  });

  it('are not scheduled for the coming year either', () => {
    expect(schedule(input({ deadlines: NOTICE_DEADLINES }), NOW, NOW + 365 * 24 * HOUR)).toEqual([]);
  });
});

describe('who a deadline reaches', () => {
  it.each<[string, Audience, number[]]>([
    [
      'all units: every unit group and every city group',
      { kind: 'all_units' },
      [LANZHOU_CITY, JINCHANG_CITY, UNIT_11, UNIT_12, UNIT_21],
    ],
    [
      'pilot cities: only the city groups of pilot cities (金昌市 is not one)',
      { kind: 'pilot_cities' },
      [LANZHOU_CITY],
    ],
    [
      'a prefecture: its city group and its units’ groups',
      { kind: 'prefecture', prefecture: '金昌市' },
      [JINCHANG_CITY, UNIT_21],
    ],
    [
      'a pilot prefecture likewise',
      { kind: 'prefecture', prefecture: '兰州市' },
      [LANZHOU_CITY, UNIT_11, UNIT_12],
    ],
    ['a prefecture with no bound chats: nobody', { kind: 'prefecture', prefecture: '白银市' }, []],
    [
      'listed units: their groups and their city groups',
      { kind: 'units', unitIds: [21] },
      [JINCHANG_CITY, UNIT_21],
    ],
    [
      'one of two units in a city: only that unit’s group',
      { kind: 'units', unitIds: [11] },
      [LANZHOU_CITY, UNIT_11],
    ],
    [
      'coordinators: every city group and the coordinators’ private chats',
      { kind: 'coordinators' },
      [LANZHOU_CITY, JINCHANG_CITY, COORDINATOR],
    ],
  ])('%s', (_what, audience, chats) => {
    const digests = plan(input({ deadlines: [deadline({ audience })] }));
    expect(chatsOf(digests)).toEqual([...chats].sort((a, b) => a - b));
    for (const d of digests) {
      expect(d.items).toEqual([
        expect.objectContaining({ deadlineId: 1, occurrence: '7d', fireAt: FIRES['7d'], late: false }),
      ]);
    }
  });

  it('tells each unit group which unit it is reminded for, and private chats carry no binding', () => {
    const digests = plan(
      input({ deadlines: [deadline({ audience: { kind: 'all_units' } })], coordinatorChats: [] }),
    );
    expect(digestFor(digests, UNIT_21)).toMatchObject({ kind: 'unit', bindingId: 5, prefecture: '金昌市' });
    expect(digestFor(digests, UNIT_21).items[0]).toMatchObject({ unitId: 21, progress: null });
    expect(digestFor(digests, LANZHOU_CITY)).toMatchObject({
      kind: 'city',
      bindingId: 1,
      prefecture: '兰州市',
    });
    expect(digestFor(digests, LANZHOU_CITY).items[0]?.unitId).toBeNull();

    const forCoordinators = plan(input({ deadlines: [deadline({ audience: { kind: 'coordinators' } })] }));
    expect(digestFor(forCoordinators, COORDINATOR)).toMatchObject({
      kind: 'coordinator',
      bindingId: null,
      prefecture: null,
      threadId: 0,
    });
  });

  it.each<[string, Audience, number, { done: number; total: number } | null]>([
    ['all units in 兰州市', { kind: 'all_units' }, LANZHOU_CITY, { done: 0, total: 2 }],
    ['all units in 金昌市', { kind: 'all_units' }, JINCHANG_CITY, { done: 0, total: 1 }],
    ['only the listed unit of 兰州市', { kind: 'units', unitIds: [12] }, LANZHOU_CITY, { done: 0, total: 1 }],
    ['no units for a coordinators’ deadline', { kind: 'coordinators' }, LANZHOU_CITY, null],
  ])(
    'a city group’s progress counts the deadline’s units in its prefecture: %s',
    (_what, audience, chat, progress) => {
      const digests = plan(input({ deadlines: [deadline({ audience })] }));
      expect(digestFor(digests, chat).items[0]?.progress).toEqual(progress);
    },
  );
});

describe('units that marked a deadline done', () => {
  const lanzhou = deadline({ audience: { kind: 'prefecture', prefecture: '兰州市' } });
  const acks = new Set([ackKey(1, 11)]);

  it('are not reminded again, while the other unit still is', () => {
    const digests = plan(input({ deadlines: [lanzhou], acks }));
    expect(chatsOf(digests)).toEqual([UNIT_12, LANZHOU_CITY].sort((a, b) => a - b));
  });

  it('count as done in their city group’s progress', () => {
    const digests = plan(input({ deadlines: [lanzhou], acks }));
    expect(digestFor(digests, LANZHOU_CITY).items[0]?.progress).toEqual({ done: 1, total: 2 });
    const allDone = plan(input({ deadlines: [lanzhou], acks: new Set([ackKey(1, 11), ackKey(1, 12)]) }));
    expect(chatsOf(allDone)).toEqual([LANZHOU_CITY]);
    expect(digestFor(allDone, LANZHOU_CITY).items[0]?.progress).toEqual({ done: 2, total: 2 });
  });

  it('only for that deadline: an acknowledgement of another deadline changes nothing', () => {
    const digests = plan(input({ deadlines: [lanzhou], acks: new Set([ackKey(2, 11)]) }));
    expect(chatsOf(digests)).toContain(UNIT_11);
  });
});

describe('inactive bindings (the bot was kicked)', () => {
  const bindings = BINDINGS.map((b) =>
    b.chatId === UNIT_12 || b.chatId === JINCHANG_CITY ? { ...b, active: false } : b,
  );
  const all = deadline({ audience: { kind: 'all_units' } });

  it('get no reminder, while the others still do', () => {
    expect(chatsOf(plan(input({ deadlines: [all], bindings })))).toEqual(
      [LANZHOU_CITY, UNIT_11, UNIT_21].sort((a, b) => a - b),
    );
  });

  it('are left out of the schedule', () => {
    const chats = new Set(schedule(input({ deadlines: [all], bindings }), NOW, DUE).map((r) => r.chatId));
    expect(chats.has(UNIT_12) || chats.has(JINCHANG_CITY)).toBe(false);
  });
});

describe('repeated, late and missed ticks', () => {
  const forUnit21 = deadline({ audience: { kind: 'units', unitIds: [21] } });
  const base = input({ deadlines: [forUnit21] });

  it('a repeated tick sends nothing new once the reminder is recorded', () => {
    const first = plan(base);
    expect(first).toHaveLength(2);
    expect(plan({ ...base, delivered: new Set(keysOf(first)) })).toEqual([]);
    expect(plan({ ...base, now: NOW + HOUR, delivered: new Set(keysOf(first)) })).toEqual([]);
  });

  it('nothing is sent before the first reminder fires', () => {
    expect(plan({ ...base, now: FIRES['7d'] - 1 })).toEqual([]);
    expect(plan({ ...base, now: FIRES['7d'] })).toHaveLength(2);
  });

  it('a reminder is marked late only when more than 15 minutes have passed since it fired', () => {
    const lateAfter = (ms: number) => plan({ ...base, now: FIRES['7d'] + ms })[0]?.items[0]?.late;
    expect(lateAfter(0)).toBe(false);
    expect(lateAfter(LATE_AFTER_MS)).toBe(false);
    expect(lateAfter(LATE_AFTER_MS + 1)).toBe(true);
  });

  it('after downtime, only the latest missed reminder is sent, marked late; the earlier ones never are', () => {
    // The bot was down from before the 7d reminder until three hours after the 1d one.
    const back = FIRES['1d'] + 3 * HOUR;
    const catchUp = plan({ ...base, now: back });
    expect(chatsOf(catchUp)).toEqual([UNIT_21, JINCHANG_CITY].sort((a, b) => a - b));
    for (const d of catchUp) {
      expect(d.items).toEqual([
        expect.objectContaining({ occurrence: '1d', fireAt: FIRES['1d'], late: true }),
      ]);
    }
    const delivered = new Set(keysOf(catchUp));
    // Later ticks send neither the superseded 7d/3d reminders nor the 1d one again …
    expect(plan({ ...base, delivered, now: back + MINUTE })).toEqual([]);
    expect(plan({ ...base, delivered, now: FIRES['0d'] - 1 })).toEqual([]);
    // … and the next reminder comes on time.
    const sameDay = plan({ ...base, delivered, now: FIRES['0d'] + 30_000 });
    expect(sameDay.flatMap((d) => d.items.map((i) => [i.occurrence, i.late]))).toEqual([
      ['0d', false],
      ['0d', false],
    ]);
  });

  it('a reminder still unsent just before the due time goes out, marked late', () => {
    const digests = plan({ ...base, now: DUE - 1 });
    expect(digests.flatMap((d) => d.items.map((i) => [i.occurrence, i.late]))).toEqual([
      ['0d', true],
      ['0d', true],
    ]);
  });

  it('nothing at all is sent at or after the due time, even if reminders were missed', () => {
    expect(plan({ ...base, now: DUE })).toEqual([]);
    expect(plan({ ...base, now: DUE + 1 })).toEqual([]);
    expect(plan({ ...base, now: DUE + 3 * 24 * HOUR })).toEqual([]);
  });

  it('a bot ticking every minute sends each reminder exactly once and never late', () => {
    const sameDay = deadline({ audience: { kind: 'units', unitIds: [21] }, offsets: ['1d', '0d', '2h'] });
    const delivered = new Set<string>();
    const sent: string[] = [];
    for (let now = at('2026-12-14T08:00:00+08:00'); now <= DUE + 2 * MINUTE; now += MINUTE) {
      const digests = plan(input({ deadlines: [sameDay], delivered, now }));
      for (const d of digests) {
        for (const i of d.items) {
          expect(i.late).toBe(false);
          expect(i.fireAt).toBe(now);
        }
      }
      for (const key of keysOf(digests)) {
        sent.push(key);
        delivered.add(key);
      }
    }
    expect(sent.sort()).toEqual(
      ['1d', '0d', '2h']
        .flatMap((o) => [deliveryKey(1, o, JINCHANG_CITY), deliveryKey(1, o, UNIT_21)])
        .sort(),
    );
  });
});

describe('one message per chat per tick', () => {
  it('two deadlines due for the same chat come as one digest with two items, in firing order', () => {
    const report = deadline({ id: 1, audience: { kind: 'all_units' } });
    // Due this morning at 10:00 with only a 2h reminder: it fired at 08:00, before the report's 7d one.
    const photos = deadline({
      id: 2,
      title: '活动照片报送',
      dueAt: at('2026-12-08T10:00:00+08:00'),
      offsets: ['2h'],
      audience: { kind: 'units', unitIds: [11] },
    });
    const digests = plan(input({ deadlines: [photos, report] }));
    expect(digests.filter((d) => d.chatId === UNIT_11)).toHaveLength(1);
    expect(digestFor(digests, UNIT_11).items.map((i) => [i.deadlineId, i.occurrence, i.late])).toEqual([
      [2, '2h', true],
      [1, '7d', false],
    ]);
    expect(digestFor(digests, LANZHOU_CITY).items.map((i) => i.deadlineId)).toEqual([2, 1]);
    expect(digestFor(digests, UNIT_12).items.map((i) => i.deadlineId)).toEqual([1]);
    expect(new Set(digests.map((d) => `${d.chatId}:${d.threadId}`)).size).toBe(digests.length);
  });

  it('a deadline already delivered to a chat leaves only the other one in its digest', () => {
    const a = deadline({ id: 1, audience: { kind: 'units', unitIds: [11] } });
    const b = deadline({ id: 2, audience: { kind: 'units', unitIds: [11] } });
    const digests = plan(input({ deadlines: [a, b], delivered: new Set([deliveryKey(1, '7d', UNIT_11)]) }));
    expect(digestFor(digests, UNIT_11).items.map((i) => i.deadlineId)).toEqual([2]);
  });

  it('two reminders of one deadline falling at the same instant give one reminder, not two', () => {
    // Due at 11:00: the 0d reminder (09:00) and the 2h reminder (11:00 − 2h) coincide.
    const d = deadline({
      dueAt: at('2026-12-15T11:00:00+08:00'),
      offsets: ['0d', '2h'],
      audience: { kind: 'units', unitIds: [21] },
    });
    const now = at('2026-12-15T09:00:00+08:00');
    const first = plan(input({ deadlines: [d], now }));
    expect(digestFor(first, UNIT_21).items).toHaveLength(1);
    expect(plan(input({ deadlines: [d], now: now + MINUTE, delivered: new Set(keysOf(first)) }))).toEqual([]);
  });
});

describe('forum topics', () => {
  const TOPIC = 42;
  const bindings = BINDINGS.map((b) => (b.chatId === UNIT_21 ? { ...b, threadId: TOPIC } : b));
  const d = deadline({ audience: { kind: 'units', unitIds: [21] } });

  it('a group bound inside a topic gets its reminder in that topic', () => {
    expect(digestFor(plan(input({ deadlines: [d], bindings })), UNIT_21).threadId).toBe(TOPIC);
  });

  it('the topic is part of the delivery’s identity', () => {
    const inTopic = new Set([deliveryKey(1, '7d', UNIT_21, TOPIC)]);
    expect(chatsOf(plan(input({ deadlines: [d], bindings, delivered: inTopic })))).toEqual([JINCHANG_CITY]);
    // A delivery to the group's General topic is a different delivery.
    const inGeneral = new Set([deliveryKey(1, '7d', UNIT_21)]);
    expect(chatsOf(plan(input({ deadlines: [d], bindings, delivered: inGeneral })))).toContain(UNIT_21);
  });

  it('delivery keys name deadline, occurrence, chat and topic (topic 0 when none)', () => {
    expect(deliveryKey(1, '7d', UNIT_21, TOPIC)).toBe(`1:7d:${UNIT_21}:${TOPIC}`);
    expect(deliveryKey(1, '7d', UNIT_21)).toBe(deliveryKey(1, '7d', UNIT_21, 0));
    expect(ackKey(3, 21)).toBe('3:21');
  });

  it('the schedule lists the topic too', () => {
    const rows = schedule(input({ deadlines: [d], bindings }), NOW, DUE).filter((r) => r.chatId === UNIT_21);
    expect(rows.map((r) => r.threadId)).toEqual([TOPIC, TOPIC, TOPIC]);
  });
});

describe('schedule: the reminders coming up in a window', () => {
  const jinchang = deadline({ audience: { kind: 'prefecture', prefecture: '金昌市' } });
  const { now: _now, ...withoutNow } = input({ deadlines: [jinchang] });

  it('lists every future fire time per chat, in firing order', () => {
    const rows = schedule(withoutNow, at('2026-12-08T00:00:00+08:00'), at('2026-12-16T00:00:00+08:00'));
    expect(rows.map((r) => [r.occurrence, r.fireAt, r.chatId])).toEqual(
      (['7d', '3d', '1d', '0d'] as const).flatMap((o) => [
        [o, FIRES[o], UNIT_21],
        [o, FIRES[o], JINCHANG_CITY],
      ]),
    );
    expect(rows.every((r) => r.deadlineId === 1 && r.threadId === 0)).toBe(true);
  });

  it('includes a reminder firing at the window start and excludes one firing at its end', () => {
    const rows = schedule(withoutNow, FIRES['3d'], FIRES['0d']);
    expect([...new Set(rows.map((r) => r.occurrence))]).toEqual(['3d', '1d']);
  });

  it('leaves out what was already delivered and units that are done', () => {
    const rows = schedule(
      {
        ...withoutNow,
        delivered: new Set([deliveryKey(1, '3d', JINCHANG_CITY)]),
        acks: new Set([ackKey(1, 21)]),
      },
      FIRES['7d'],
      DUE,
    );
    expect(rows.map((r) => [r.occurrence, r.chatId])).toEqual([
      ['7d', JINCHANG_CITY],
      ['1d', JINCHANG_CITY],
      ['0d', JINCHANG_CITY],
    ]);
  });

  it('is empty for a window after the due time', () => {
    expect(schedule(withoutNow, DUE, DUE + 30 * 24 * HOUR)).toEqual([]);
  });
});
