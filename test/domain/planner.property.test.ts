import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Audience,
  type Deadline,
  type Occurrence,
  occurrences,
  parseOffsets,
} from '../../src/domain/deadlines/deadline.js';
import {
  ackKey,
  type Binding,
  type Digest,
  deliveryKey,
  LATE_AFTER_MS,
  type PlanInput,
  type PlanUnit,
  plan,
} from '../../src/domain/deadlines/planner.js';

/*
 * Property tests for the reminder planner: a simulated bot ticks through a month of deadlines,
 * records every planned reminder as delivered (as the tick does when it claims one), and the
 * contract is checked tick by tick against an oracle that restates the audience rules on its own.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Deadlines fall in the 30 days from here, across the year end. */
const WINDOW_START = Date.parse('2026-12-10T00:00:00+08:00');
const WINDOW_DAYS = 30;
/** Ticks run from before any 7d reminder can fire until after every deadline. */
const SIM_START = WINDOW_START - 8 * DAY;
const SIM_END = WINDOW_START + (WINDOW_DAYS + 1) * DAY;

const UNITS: readonly PlanUnit[] = [
  { id: 1, prefecture: '兰州市' },
  { id: 2, prefecture: '兰州市' },
  { id: 3, prefecture: '金昌市' },
  { id: 4, prefecture: '白银市' },
];
const prefectureOfUnit = (id: number) => UNITS.find((u) => u.id === id)?.prefecture;
const PILOT_CITIES: ReadonlySet<string> = new Set(['兰州市', '白银市', '定西市']);
/** 定西市 is a pilot city with no units in this roster: its city group gets no progress count. */
const PREFECTURES = ['兰州市', '金昌市', '白银市', '定西市'] as const;
const OFFSETS = ['7d', '3d', '1d', '0d', '2h'] as const;

interface World {
  readonly deadlines: readonly Deadline[];
  readonly bindings: readonly Binding[];
  readonly coordinatorChats: readonly number[];
  readonly acks: ReadonlySet<string>;
  readonly timeZone: string;
}

// ---------------------------------------------------------------- generators

const audienceArb: fc.Arbitrary<Audience> = fc.oneof(
  fc.constant<Audience>({ kind: 'all_units' }),
  fc.constant<Audience>({ kind: 'pilot_cities' }),
  fc.constantFrom(...PREFECTURES).map((prefecture): Audience => ({ kind: 'prefecture', prefecture })),
  fc
    .subarray(
      UNITS.map((u) => u.id),
      { minLength: 1 },
    )
    .map((unitIds): Audience => ({ kind: 'units', unitIds })),
  fc.constant<Audience>({ kind: 'coordinators' }),
);

const deadlinesArb: fc.Arbitrary<Deadline[]> = fc
  .array(
    fc.record({
      // Minute resolution, so a tick every minute meets every reminder at its instant.
      dueMinute: fc.integer({ min: 0, max: WINDOW_DAYS * 24 * 60 }),
      offsets: fc.subarray([...OFFSETS], { minLength: 1 }),
      audience: audienceArb,
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((specs) =>
    specs.map((s, i): Deadline => {
      const parsed = parseOffsets(s.offsets.join(','));
      if (!('offsets' in parsed)) throw new Error(`generated offsets refused: ${parsed.error}`);
      return {
        id: i + 1,
        title: `截止事项${i + 1}`,
        submit: null,
        dueAt: WINDOW_START + s.dueMinute * MINUTE,
        audience: s.audience,
        offsets: parsed.offsets,
        source: null,
      };
    }),
  );

type Target = { kind: 'city'; prefecture: string } | { kind: 'unit'; unitId: number };
const targetArb: fc.Arbitrary<Target> = fc.oneof(
  fc.constantFrom(...PREFECTURES).map((prefecture): Target => ({ kind: 'city', prefecture })),
  fc.constantFrom(...UNITS.map((u) => u.id)).map((unitId): Target => ({ kind: 'unit', unitId })),
);

/** A few bindings, unique per (chat, topic) as the database enforces; one group may hold several topics. */
const bindingsArb: fc.Arbitrary<Binding[]> = fc
  .uniqueArray(
    fc.record({
      chatId: fc.constantFrom(-1001, -1002, -1003, -1004),
      threadId: fc.constantFrom(0, 0, 7, 9),
      target: targetArb,
      active: fc.constantFrom(true, true, true, false),
    }),
    { minLength: 1, maxLength: 6, selector: (b) => `${b.chatId}:${b.threadId}` },
  )
  .map((specs) =>
    specs.map(({ chatId, threadId, target, active }, i): Binding => {
      const common = { id: i + 1, chatId, threadId, active };
      if (target.kind === 'city')
        return { ...common, kind: 'city', prefecture: target.prefecture, unitId: null };
      // A unit binding carries its unit's prefecture.
      return { ...common, kind: 'unit', prefecture: prefectureOfUnit(target.unitId)!, unitId: target.unitId };
    }),
  );

const ALL_ACKS = [1, 2, 3].flatMap((d) => UNITS.map((u) => ackKey(d, u.id)));

const worldArb: fc.Arbitrary<World> = fc.record({
  deadlines: deadlinesArb,
  bindings: bindingsArb,
  coordinatorChats: fc.subarray([501, 502]),
  acks: fc.subarray(ALL_ACKS).map((a) => new Set(a)),
  timeZone: fc.constantFrom('Asia/Shanghai', 'Asia/Shanghai', 'UTC'),
});

/**
 * One tick of a faulty cron, resolved against the world: anywhere in the simulated span, or aimed
 * at a reminder's fire instant (exactly, a millisecond either side, just inside and just past the
 * late threshold, hours or days late), or at a due instant. `repeat` makes the same tick run twice.
 */
const tickSpecArb = fc.record({
  at: fc.oneof(
    fc.record({
      kind: fc.constant('anywhere' as const),
      ms: fc.integer({ min: 0, max: SIM_END - SIM_START }),
    }),
    fc.record({
      kind: fc.constant('fire' as const),
      deadline: fc.nat(),
      occurrence: fc.nat(),
      jitter: fc.constantFrom(-MINUTE, -1, 0, 1, MINUTE, LATE_AFTER_MS, LATE_AFTER_MS + 1, 3 * HOUR, 2 * DAY),
    }),
    fc.record({
      kind: fc.constant('due' as const),
      deadline: fc.nat(),
      jitter: fc.constantFrom(-MINUTE, -1, 0, 1),
    }),
  ),
  repeat: fc.boolean(),
});
type TickSpec = typeof tickSpecArb extends fc.Arbitrary<infer T> ? T : never;

const scenarioArb = fc.record({
  world: worldArb,
  ticks: fc.array(tickSpecArb, { minLength: 1, maxLength: 30 }),
});

const RUNS = { numRuns: 150 };

// ---------------------------------------------------------------- the oracle

interface Recipient {
  readonly key: string;
  readonly chatId: number;
  readonly threadId: number;
  readonly bindingId: number | null;
  readonly kind: 'city' | 'unit' | 'coordinator';
  readonly prefecture: string | null;
  readonly unitId: number | null;
}

/** Active bindings and coordinators' private chats: who may get anything at all. */
function recipientsOf(world: World): Recipient[] {
  const groups = world.bindings
    .filter((b) => b.active)
    .map(
      (b): Recipient => ({
        key: `${b.chatId}:${b.threadId}`,
        chatId: b.chatId,
        threadId: b.threadId,
        bindingId: b.id,
        kind: b.kind,
        prefecture: b.prefecture,
        unitId: b.unitId,
      }),
    );
  const coordinators = world.coordinatorChats.map(
    (chatId): Recipient => ({
      key: `${chatId}:0`,
      chatId,
      threadId: 0,
      bindingId: null,
      kind: 'coordinator',
      prefecture: null,
      unitId: null,
    }),
  );
  return [...groups, ...coordinators];
}

/** The units a deadline concerns, from the audience rules. */
function unitsOf(a: Audience): PlanUnit[] {
  switch (a.kind) {
    case 'all_units':
      return [...UNITS];
    case 'pilot_cities':
      return UNITS.filter((u) => PILOT_CITIES.has(u.prefecture));
    case 'prefecture':
      return UNITS.filter((u) => u.prefecture === a.prefecture);
    case 'units':
      return UNITS.filter((u) => a.unitIds.includes(u.id));
    case 'coordinators':
      return [];
  }
}

/** The audience rules, restated: whether a deadline is for this chat at all (acks aside). */
function isFor(d: Deadline, r: Recipient): boolean {
  const a = d.audience;
  if (r.kind === 'coordinator') return a.kind === 'coordinators';
  if (r.kind === 'unit') {
    const unitPrefecture = r.unitId === null ? undefined : prefectureOfUnit(r.unitId);
    if (a.kind === 'all_units') return true;
    if (a.kind === 'prefecture') return unitPrefecture === a.prefecture;
    if (a.kind === 'units') return r.unitId !== null && a.unitIds.includes(r.unitId);
    return false; // pilot_cities and coordinators go to city groups only
  }
  if (a.kind === 'all_units' || a.kind === 'coordinators') return true;
  if (a.kind === 'pilot_cities') return r.prefecture !== null && PILOT_CITIES.has(r.prefecture);
  if (a.kind === 'prefecture') return r.prefecture === a.prefecture;
  return a.unitIds.some((id) => prefectureOfUnit(id) === r.prefecture);
}

/** Whether the chat should be reminded of the deadline: in the audience, and its unit not done. */
function shouldRemind(world: World, d: Deadline, r: Recipient): boolean {
  return isFor(d, r) && !(r.unitId !== null && world.acks.has(ackKey(d.id, r.unitId)));
}

function expectedProgress(world: World, d: Deadline, r: Recipient) {
  if (r.kind !== 'city') return null;
  const units = unitsOf(d.audience).filter((u) => u.prefecture === r.prefecture);
  if (!units.length) return null;
  return { done: units.filter((u) => world.acks.has(ackKey(d.id, u.id))).length, total: units.length };
}

// ---------------------------------------------------------------- the simulation

interface Tick {
  readonly now: number;
  readonly digests: readonly Digest[];
  /** What had been delivered before this tick. */
  readonly deliveredBefore: ReadonlySet<string>;
}

interface Run {
  readonly ticks: readonly Tick[];
  /** Every planned delivery key, in planning order (duplicates kept). */
  readonly planned: readonly string[];
}

function occurrencesOf(world: World): Map<number, Occurrence[]> {
  return new Map(world.deadlines.map((d) => [d.id, occurrences(d, world.timeZone)]));
}

function resolveTicks(world: World, specs: readonly TickSpec[]): number[] {
  const occ = occurrencesOf(world);
  const times: number[] = [];
  for (const { at, repeat } of specs) {
    let t: number;
    if (at.kind === 'anywhere') t = SIM_START + at.ms;
    else {
      const d = world.deadlines[at.deadline % world.deadlines.length]!;
      if (at.kind === 'due') t = d.dueAt + at.jitter;
      else {
        const os = occ.get(d.id)!;
        t = os.length ? os[at.occurrence % os.length]!.fireAt + at.jitter : d.dueAt + at.jitter;
      }
    }
    times.push(t);
    if (repeat) times.push(t);
  }
  return times.sort((a, b) => a - b);
}

/** Runs the planner at each instant (non-decreasing) and records what it planned as delivered. */
function simulate(world: World, times: readonly number[]): Run {
  const delivered = new Set<string>();
  const ticks: Tick[] = [];
  const planned: string[] = [];
  for (const now of times) {
    const input: PlanInput = {
      deadlines: world.deadlines,
      bindings: world.bindings,
      units: UNITS,
      pilotCities: PILOT_CITIES,
      acks: world.acks,
      delivered: new Set(delivered),
      coordinatorChats: world.coordinatorChats,
      now,
      timeZone: world.timeZone,
    };
    const digests = plan(input);
    ticks.push({ now, digests, deliveredBefore: input.delivered });
    for (const dg of digests) {
      for (const item of dg.items) {
        const key = deliveryKey(item.deadlineId, item.occurrence, dg.chatId, dg.threadId);
        planned.push(key);
        delivered.add(key);
      }
    }
  }
  return { ticks, planned };
}

const runScenario = ({ world, ticks }: { world: World; ticks: TickSpec[] }) =>
  simulate(world, resolveTicks(world, ticks));

/** The delivery keys planned for one (deadline, recipient) over a run. */
function deliveriesTo(run: Run, deadlineId: number, r: Recipient): string[] {
  return run.ticks.flatMap((t) =>
    t.digests
      .filter((dg) => dg.chatId === r.chatId && dg.threadId === r.threadId)
      .flatMap((dg) => dg.items.filter((i) => i.deadlineId === deadlineId))
      .map((i) => deliveryKey(i.deadlineId, i.occurrence, r.chatId, r.threadId)),
  );
}

// ---------------------------------------------------------------- the properties

describe('reminder planner under repeated, skipped and late ticks', () => {
  it('never plans the same reminder to the same chat twice', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { planned } = runScenario(scenario);
        expect(planned.length).toBe(new Set(planned).size);
      }),
      RUNS,
    );
  });

  it('plans only reminders that have fired, for deadlines still ahead, late only after 15 minutes', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const deadlines = new Map(scenario.world.deadlines.map((d) => [d.id, d]));
        for (const { now, digests } of runScenario(scenario).ticks) {
          for (const item of digests.flatMap((dg) => dg.items)) {
            expect(item.fireAt).toBeLessThanOrEqual(now);
            expect(deadlines.get(item.deadlineId)!.dueAt).toBeGreaterThan(now);
            expect(item.late).toBe(now - item.fireAt > LATE_AFTER_MS);
          }
        }
      }),
      RUNS,
    );
  });

  it('sends each chat or topic at most one digest per tick', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        for (const { digests } of runScenario(scenario).ticks) {
          const chats = digests.map((dg) => `${dg.chatId}:${dg.threadId}`);
          expect(chats.length).toBe(new Set(chats).size);
          for (const dg of digests) expect(dg.items.length).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  it('at every tick, plans exactly the latest fired, undelivered reminder for each chat the deadline is for', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { world } = scenario;
        const occ = occurrencesOf(world);
        const recipients = recipientsOf(world);
        for (const { now, digests, deliveredBefore } of runScenario(scenario).ticks) {
          // Nobody outside the active bindings and coordinators' chats hears anything.
          const known = new Set(recipients.map((r) => r.key));
          for (const dg of digests) expect(known.has(`${dg.chatId}:${dg.threadId}`)).toBe(true);

          for (const r of recipients) {
            const expected = world.deadlines.flatMap((d) => {
              if (d.dueAt <= now || !shouldRemind(world, d, r)) return [];
              const fired = occ.get(d.id)!.filter((o) => o.fireAt <= now);
              const latest = fired.at(-1);
              if (!latest) return [];
              // Two offsets can fire at the same instant (0d and 2h for a deadline at 11:00): either is "the latest".
              const candidates = fired.filter((o) => o.fireAt === latest.fireAt);
              if (candidates.some((o) => deliveredBefore.has(deliveryKey(d.id, o.key, r.chatId, r.threadId))))
                return [];
              return [{ d, fireAt: latest.fireAt, keys: candidates.map((o) => o.key) }];
            });
            const got = digests.filter((dg) => dg.chatId === r.chatId && dg.threadId === r.threadId);
            if (!expected.length) {
              expect(got).toEqual([]);
              continue;
            }
            expect(got).toHaveLength(1);
            const digest = got[0]!;
            expect(digest).toMatchObject({ bindingId: r.bindingId, kind: r.kind, prefecture: r.prefecture });
            const items = [...digest.items].sort((a, b) => a.deadlineId - b.deadlineId);
            expect(items.map((i) => i.deadlineId)).toEqual(expected.map((e) => e.d.id));
            items.forEach((item, i) => {
              const e = expected[i]!;
              expect(e.keys).toContain(item.occurrence);
              expect(item.fireAt).toBe(e.fireAt);
              expect(item.unitId).toBe(r.kind === 'unit' ? r.unitId : null);
              expect(item.progress).toEqual(expectedProgress(world, e.d, r));
            });
          }
        }
      }),
      RUNS,
    );
  });

  it('reaches every chat that was ticked between the first reminder and the due time at least once', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { world } = scenario;
        const occ = occurrencesOf(world);
        const run = runScenario(scenario);
        for (const d of world.deadlines) {
          const first = occ.get(d.id)![0];
          if (!first) continue;
          const ticked = run.ticks.some((t) => t.now >= first.fireAt && t.now < d.dueAt);
          for (const r of recipientsOf(world)) {
            const got = deliveriesTo(run, d.id, r);
            if (!shouldRemind(world, d, r)) expect(got).toEqual([]);
            else if (ticked) expect(got.length).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('reminder planner without faults', () => {
  /*
   * A cron firing every minute, with no tick missed, repeated or late. A literal minute-by-minute
   * run over five weeks is ~50,000 plan() calls per case (several seconds each), so each case ticks
   * on the minute grid at every minute where something happens (each fire instant and the minute
   * after it, each due instant and the minutes around it) plus random quiet minutes. Deadlines and
   * fire times lie on the minute grid, so this meets every reminder exactly as a minutely cron does.
   * planner.test.ts also runs one literal minute-by-minute day.
   */
  const faultlessArb = fc.record({
    world: worldArb,
    quietMinutes: fc.array(fc.integer({ min: 0, max: (SIM_END - SIM_START) / MINUTE }), { maxLength: 30 }),
  });

  function minuteTicks(world: World, quietMinutes: readonly number[]): number[] {
    const events = [...occurrencesOf(world).values()].flat().map((o) => o.fireAt);
    const dues = world.deadlines.map((d) => d.dueAt);
    const first = Math.min(...events, ...dues) - MINUTE;
    const last = Math.max(...dues) + MINUTE;
    const grid = new Set<number>([first, last]);
    for (const t of events) grid.add(t).add(t + MINUTE);
    for (const t of dues)
      grid
        .add(t - MINUTE)
        .add(t)
        .add(t + MINUTE);
    for (const m of quietMinutes) grid.add(SIM_START + m * MINUTE);
    return [...grid].filter((t) => t >= first && t <= last).sort((a, b) => a - b);
  }

  it('delivers every due reminder to every chat it is for exactly once, on time', () => {
    fc.assert(
      fc.property(faultlessArb, ({ world, quietMinutes }) => {
        const occ = occurrencesOf(world);
        const run = simulate(world, minuteTicks(world, quietMinutes));
        for (const tick of run.ticks) {
          for (const item of tick.digests.flatMap((dg) => dg.items)) {
            expect(item.late).toBe(false);
            expect(item.fireAt).toBe(tick.now);
          }
        }
        expect(run.planned.length).toBe(new Set(run.planned).size);
        for (const d of world.deadlines) {
          // Reminders of one deadline that fire at the same instant count as one reminder.
          const instants = new Map<number, string[]>();
          for (const o of occ.get(d.id)!) instants.set(o.fireAt, [...(instants.get(o.fireAt) ?? []), o.key]);
          for (const r of recipientsOf(world)) {
            const got = deliveriesTo(run, d.id, r);
            if (!shouldRemind(world, d, r)) {
              expect(got).toEqual([]);
              continue;
            }
            expect(got).toHaveLength(instants.size);
            for (const keys of instants.values()) {
              const sent = keys.filter((k) => got.includes(deliveryKey(d.id, k, r.chatId, r.threadId)));
              expect(sent).toHaveLength(1);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
