import { describe, expect, it } from 'vitest';
import { broadcastTargets } from '../../src/app/broadcast.js';
import { audienceUnits } from '../../src/domain/deadlines/audience.js';
import { type Audience, DEFAULT_OFFSETS, type Deadline } from '../../src/domain/deadlines/deadline.js';
import { type Binding, type PlanInput, plan } from '../../src/domain/deadlines/planner.js';

// 兰州市 (a pilot city) with units 11 and 12; 金昌市 (not a pilot city) with unit 21.
const ROSTER = {
  units: [
    { id: 11, prefecture: '兰州市' },
    { id: 12, prefecture: '兰州市' },
    { id: 21, prefecture: '金昌市' },
  ],
  pilotCities: new Set(['兰州市', '白银市']),
};

const group = (
  chatId: number,
  kind: 'city' | 'unit',
  prefecture: string,
  unitId: number | null,
): Binding => ({
  id: -chatId,
  chatId,
  threadId: 0,
  kind,
  prefecture,
  unitId,
  active: true,
});
const CHATS = {
  兰州群: group(-1001, 'city', '兰州市', null),
  金昌群: group(-1002, 'city', '金昌市', null),
  单位11: group(-2011, 'unit', '兰州市', 11),
  单位12: group(-2012, 'unit', '兰州市', 12),
  单位21: group(-2021, 'unit', '金昌市', 21),
};
const COORDINATOR = 7001;
const nameOf = (chatId: number) =>
  chatId === COORDINATOR
    ? '协调人'
    : (Object.entries(CHATS).find(([, b]) => b.chatId === chatId)?.[0] ?? '?');

const NOW = Date.parse('2026-12-08T09:05:00+08:00');
function remindedChats(audience: Audience): string[] {
  const deadline: Deadline = {
    id: 1,
    title: '第四季度活动开展情况报送',
    submit: null,
    dueAt: Date.parse('2026-12-15T17:00:00+08:00'),
    audience,
    offsets: [...DEFAULT_OFFSETS],
    source: null,
  };
  const input: PlanInput = {
    ...ROSTER,
    deadlines: [deadline],
    bindings: Object.values(CHATS),
    acks: new Set(),
    delivered: new Set(),
    coordinatorChats: [COORDINATOR],
    now: NOW,
    timeZone: 'Asia/Shanghai',
  };
  return plan(input).map((d) => nameOf(d.chatId));
}

const broadcastChats = (audience: Audience) =>
  broadcastTargets(audience, Object.values(CHATS), ROSTER).map((b) => nameOf(b.chatId));

describe('what a deadline audience covers: reminders, broadcasts and progress agree', () => {
  it.each<[string, Audience, string[], string[], number[]]>([
    [
      '全部',
      { kind: 'all_units' },
      ['兰州群', '金昌群', '单位11', '单位12', '单位21'],
      ['兰州群', '金昌群', '单位11', '单位12', '单位21'],
      [11, 12, 21],
    ],
    ['试点城市', { kind: 'pilot_cities' }, ['兰州群'], ['兰州群'], [11, 12]],
    [
      '兰州',
      { kind: 'prefecture', prefecture: '兰州市' },
      ['兰州群', '单位11', '单位12'],
      ['兰州群', '单位11', '单位12'],
      [11, 12],
    ],
    // The city group follows its units' progress in reminders, but a broadcast to units is theirs.
    ['单位21', { kind: 'units', unitIds: [21] }, ['金昌群', '单位21'], ['单位21'], [21]],
    ['协调人', { kind: 'coordinators' }, ['兰州群', '金昌群', '协调人'], ['兰州群', '金昌群'], []],
  ])('%s', (_what, audience, reminded, broadcast, counted) => {
    expect(remindedChats(audience)).toEqual(reminded);
    expect(broadcastChats(audience)).toEqual(broadcast);
    expect(audienceUnits(audience, ROSTER).map((u) => u.id)).toEqual(counted);
  });

  it('never broadcasts to an inactive group', () => {
    const bindings = [{ ...CHATS.单位11, active: false }, CHATS.单位12];
    expect(broadcastTargets({ kind: 'all_units' }, bindings, ROSTER).map((b) => b.chatId)).toEqual([
      CHATS.单位12.chatId,
    ]);
  });
});
