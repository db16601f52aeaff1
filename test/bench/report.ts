import { cpus } from 'node:os';
import type { Roster } from '../../src/domain/roster.js';
import type { Labelled } from '../support/labelled.js';
import { describeFailure, type Score } from './evaluate.js';
import { FUSE_THRESHOLD } from './fuse-baseline.js';
import type { MemoryReading } from './memory.js';
import type { NationalRoster } from './national-roster.js';
import type { BuildTimes, CliRun } from './startup.js';
import { fmt, section, table } from './table.js';
import type { TimingResult } from './timing.js';

export interface Results {
  readonly environment: { readonly node: string; readonly platform: string };
  readonly rosters: { readonly gansu: Roster; readonly national: NationalRoster };
  readonly labels: {
    readonly project: readonly Labelled[];
    readonly shared: readonly Labelled[];
    readonly national: readonly Labelled[];
  };
  readonly seeds: { readonly roster: number; readonly queries: number };
  readonly accuracy: Record<'project' | 'shared' | 'national', { answerer: Score; fuse: Score }>;
  readonly latency: Record<'gansuAnswerer' | 'nationalAnswerer' | 'gansuFuse' | 'nationalFuse', TimingResult>;
  readonly queries: { readonly gansu: readonly string[]; readonly national: readonly string[] };
  readonly startup: {
    readonly placesMs: number;
    readonly gansuRosterMs: number;
    readonly nationalRosterMs: number;
    readonly nationalQueriesMs: number;
    readonly gansuAnswerer: BuildTimes;
    readonly nationalAnswerer: BuildTimes;
    readonly gansuFuseMs: number;
    readonly nationalFuseMs: number;
    readonly cli: readonly CliRun[];
  };
  readonly memory: {
    readonly atStart: MemoryReading;
    readonly beforeNational: MemoryReading;
    readonly afterNational: MemoryReading;
    readonly peakQueryRssMb: number;
    readonly processMaxRssMb: number;
  };
  readonly totalSeconds: number;
}

const P99_TARGET_US = 1000;

export function printReport(r: Results): void {
  const out: string[] = [];
  const print = (...lines: string[]) => out.push(...lines);

  header(r, print);
  accuracyTable(r, print);
  latencyTable(r, print);
  byRuleTable(r, print);
  startupTable(r, print);
  memoryTable(r, print);
  targets(r, print);
  failures(r, print);
  slowest(r, print);
  print('', `Total bench time: ${r.totalSeconds.toFixed(1)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
}

type Print = (...lines: string[]) => void;

function header(r: Results, print: Print): void {
  const { gansu, national } = r.rosters;
  const provinces = new Set(national.roster.units.map((u) => u.province)).size;
  const synthetic = national.synthetic.length;
  const count = (labels: readonly Labelled[], expect: Labelled['expect']) =>
    labels.filter((l) => l.expect === expect).length;
  const mix = (labels: readonly Labelled[]) =>
    (['pilot', 'not_pilot', 'ambiguous', 'list_units'] as const)
      .map((e) => [e, count(labels, e)] as const)
      .filter(([, n]) => n)
      .map(([e, n]) => `${fmt.int(n)} ${e}`)
      .join(', ');
  const cpu = cpus();
  print(
    'Membership answer benchmark (npm run bench)',
    `Node ${r.environment.node}, ${r.environment.platform}, ${cpu.length} CPU(s) ${cpu[0]?.model.trim() ?? ''}`,
    section('Rosters and query mixes'),
    `Gansu roster     ${gansu.units.length} units, ${gansu.prefectures.length} prefectures (data/)`,
    `National roster  ${fmt.int(national.roster.units.length)} units = ${gansu.units.length} Gansu + ${fmt.int(synthetic)} synthetic, ` +
      `${national.roster.prefectures.length} prefectures in ${provinces} provinces (seed ${r.seeds.roster})`,
    `Gansu queries    ${r.labels.project.length} project set (test/fixtures) + ${r.labels.shared.length} shared dev set: ` +
      mix([...r.labels.project, ...r.labels.shared]),
    `National queries ${fmt.int(r.labels.national.length)} generated and labelled (seed ${r.seeds.queries}): ${mix(r.labels.national)}`,
    `Fuse.js baseline keys ['name'], threshold ${FUSE_THRESHOLD}, raw query as pattern, top hit = "pilot" when score <= ${FUSE_THRESHOLD}`,
  );
}

function accuracyTable(r: Results, print: Print): void {
  const rows: string[][] = [];
  const sets = [
    ['Gansu project set', r.accuracy.project],
    ['Gansu shared dev set', r.accuracy.shared],
    ['National generated', r.accuracy.national],
  ] as const;
  for (const [name, pair] of sets) {
    for (const [engine, s] of [
      ['Answerer', pair.answerer],
      ['Fuse.js', pair.fuse],
    ] as const) {
      rows.push([
        name,
        engine,
        fmt.int(s.total),
        fmt.int(s.correct),
        fmt.pct(s.correct, s.total),
        fmt.int(s.falsePositives),
        fmt.int(s.total - s.correct - s.falsePositives),
      ]);
    }
  }
  print(
    section('1. Accuracy (each labelled query answered once; judge from test/support/labelled.ts)'),
    table(['<query set', '<engine', 'queries', 'correct', 'accuracy', 'false pos.', 'other misses'], rows),
    'false pos. = "pilot" for a not_pilot/ambiguous label, or naming the wrong entry (the costly error).',
  );
}

function latencyTable(r: Results, print: Print): void {
  const row = (roster: string, engine: string, t: TimingResult, queries: number) => [
    roster,
    engine,
    fmt.int(queries),
    String(t.rounds),
    fmt.int(t.summary.samples),
    fmt.us(t.summary.p50Us),
    fmt.us(t.summary.p99Us),
    fmt.us(t.summary.maxUs),
    fmt.us(t.summary.meanUs),
    fmt.int(t.summary.qps),
  ];
  const g = r.queries.gansu.length;
  const n = r.queries.national.length;
  print(
    section('2. Latency per query (warm: every query answered once before timing)'),
    table(
      [
        '<roster',
        '<engine',
        'queries',
        'rounds',
        'samples',
        'p50 µs',
        'p99 µs',
        'max µs',
        'mean µs',
        'queries/s',
      ],
      [
        row('Gansu (77)', 'Answerer', r.latency.gansuAnswerer, g),
        row('Gansu (77)', 'Fuse.js', r.latency.gansuFuse, g),
        row(
          `National (${fmt.int(r.rosters.national.roster.units.length)})`,
          'Answerer',
          r.latency.nationalAnswerer,
          n,
        ),
        row(
          `National (${fmt.int(r.rosters.national.roster.units.length)})`,
          'Fuse.js',
          r.latency.nationalFuse,
          n,
        ),
      ],
    ),
    'One process.hrtime.bigint() pair per call; queries/s over the timed rounds on one thread.',
  );
}

function byRuleTable(r: Results, print: Print): void {
  const ours = r.accuracy.national.answerer.byRule;
  const fuse = r.accuracy.national.fuse.byRule;
  const expectOf = new Map(r.labels.national.map((l) => [l.rule ?? l.expect, l.expect]));
  const rules = [...ours.keys()].sort(
    (a, b) => (expectOf.get(a) ?? '').localeCompare(expectOf.get(b) ?? '') || a.localeCompare(b),
  );
  const rows = rules.map((rule) => {
    const a = ours.get(rule)!;
    const f = fuse.get(rule) ?? { n: 0, correct: 0, falsePositives: 0 };
    return [
      rule,
      expectOf.get(rule) ?? '',
      fmt.int(a.n),
      fmt.pct(a.correct, a.n),
      fmt.int(a.falsePositives),
      fmt.pct(f.correct, f.n),
      fmt.int(f.falsePositives),
    ];
  });
  print(
    section('3. National generated queries by rule'),
    table(['<rule', '<label', 'n', 'Answerer ok', 'Answerer FP', 'Fuse ok', 'Fuse FP'], rows),
  );
}

function startupTable(r: Results, print: Print): void {
  const s = r.startup;
  const build = (b: BuildTimes) => [fmt.ms(b.firstMs), `${fmt.ms(b.medianMs)} (x${b.repeats})`];
  const fresh = s.cli.filter((c) => c.freshDatabase);
  const reused = s.cli.filter((c) => !c.freshDatabase);
  const cliMs = (runs: readonly CliRun[]) =>
    runs.map((c) => `${fmt.ms(c.ms)}${c.ok ? '' : ' (FAILED)'}`).join(', ');
  print(
    section('4. Start-up time to ready (ms)'),
    table(
      ['<step', 'first', 'repeat median'],
      [
        ['chinaPlaces() national place index (first use)', fmt.ms(s.placesMs), '-'],
        ['gansuRoster() read + validate data/', fmt.ms(s.gansuRosterMs), '-'],
        ['new Answerer(Gansu roster)', ...build(s.gansuAnswerer)],
        ['new Answerer(national roster)', ...build(s.nationalAnswerer)],
        ['new FuseBaseline(Gansu roster)', fmt.ms(s.gansuFuseMs), '-'],
        ['new FuseBaseline(national roster)', fmt.ms(s.nationalFuseMs), '-'],
        ['generate national roster (bench only)', fmt.ms(s.nationalRosterMs), '-'],
        ['generate national queries (bench only)', fmt.ms(s.nationalQueriesMs), '-'],
      ],
    ),
    'Answerer builds reuse the place index built in the first row.',
    `CLI: DATABASE_PATH=<temp file> node dist/cli.cjs ask 张掖中学 (spawn until exit)`,
    `  fresh database (migrate + seed): ${cliMs(fresh)} ms`,
    `  existing database:              ${cliMs(reused)} ms`,
    `  answer: ${s.cli[0]?.output.split('\n')[0]?.slice(0, 100) ?? '(none)'}`,
  );
}

function memoryTable(r: Results, print: Print): void {
  const m = r.memory;
  const row = (label: string, x: MemoryReading) => [label, fmt.mb(x.rssMb), fmt.mb(x.heapUsedMb)];
  print(
    section('5. Resident memory (MB, after a forced GC)'),
    table(
      ['<moment', 'rss', 'heapUsed'],
      [
        row('bench start (modules loaded)', m.atStart),
        row('before new Answerer(national)', m.beforeNational),
        row('after new Answerer(national)', m.afterNational),
        [
          'delta for the national Answerer',
          fmt.mb(m.afterNational.rssMb - m.beforeNational.rssMb),
          fmt.mb(m.afterNational.heapUsedMb - m.beforeNational.heapUsedMb),
        ],
      ],
    ),
    `Peak RSS sampled during the timed query runs: ${fmt.mb(m.peakQueryRssMb)} MB; process max RSS (getrusage): ${fmt.mb(m.processMaxRssMb)} MB`,
  );
}

function targets(r: Results, print: Print): void {
  const p99 = r.latency.nationalAnswerer.summary.p99Us;
  const gansuFp = r.accuracy.project.answerer.falsePositives + r.accuracy.shared.answerer.falsePositives;
  const gansuFuseFp = r.accuracy.project.fuse.falsePositives + r.accuracy.shared.fuse.falsePositives;
  const gansuTotal = r.accuracy.project.answerer.total + r.accuracy.shared.answerer.total;
  const natFp = r.accuracy.national.answerer.falsePositives;
  const natTotal = r.accuracy.national.answerer.total;
  const mark = (ok: boolean) => (ok ? 'MET    ' : 'NOT MET');
  print(
    section('6. Targets'),
    `[${mark(p99 < P99_TARGET_US)}] p99 < 1 ms per query on the national roster: Answerer p99 = ${fmt.us(p99)} µs`,
    `[${mark(gansuFp === 0)}] 0 false positives on the labelled set (Gansu, ${gansuTotal} queries): Answerer ${gansuFp}`,
    `          Fuse.js on the same labelled set: ${gansuFuseFp} false positives`,
    `[${mark(natFp === 0)}] 0 false positives on the generated national set (${fmt.int(natTotal)} queries): Answerer ${natFp}; ` +
      `Fuse.js ${fmt.int(r.accuracy.national.fuse.falsePositives)}`,
  );
}

function failures(r: Results, print: Print): void {
  const list = (s: Score) =>
    [...s.failures]
      .sort((a, b) => Number(b.falsePositive) - Number(a.falsePositive))
      .map((f) => `  ${describeFailure(f)}`);
  const gansu = [...list(r.accuracy.project.answerer), ...list(r.accuracy.shared.answerer)];
  const national = list(r.accuracy.national.answerer);
  print(
    section('7. Answerer failures (false positives first)'),
    `Gansu labelled sets: ${gansu.length}`,
    ...gansu,
    `National generated set: ${national.length}`,
    ...national,
  );
  const fuseFp = r.accuracy.national.fuse.failures.filter((f) => f.falsePositive).slice(0, 5);
  print('Fuse.js false positives on the national set, first 5 for illustration:');
  print(...fuseFp.map((f) => `  ${describeFailure(f, 1)}`));
}

function slowest(r: Results, print: Print): void {
  const per = r.latency.nationalAnswerer.perQueryUs;
  const order = [...per.keys()].sort((a, b) => per[b]! - per[a]!);
  const over = order.filter((i) => per[i]! >= P99_TARGET_US).length;
  print(
    section('8. Slowest national queries for the Answerer (median over rounds)'),
    `${over} queries at or above ${P99_TARGET_US} µs`,
    ...order.slice(0, 5).map((i) => `  ${fmt.us(per[i]!)} µs  ${r.queries.national[i]}`),
  );
}
