import { existsSync } from 'node:fs';
import type { Answerer } from '../../src/domain/answer.js';
import { type Labelled, readLabelled } from '../support/labelled.js';
import { score } from './evaluate.js';
import type { PeakRss } from './memory.js';
import type { NationalRoster } from './national-roster.js';
import { Prng } from './prng.js';
import { fmt, section, table } from './table.js';
import { timeQueries } from './timing.js';

/**
 * Whole sentences: accuracy and false positives per class on the labelled sentence sets (Gansu),
 * and latency of sentence-shaped queries on the Gansu and the national-size roster next to the
 * bare-name queries of the same run.
 */

const TIMING = { rounds: 5, budgetMs: 10_000 };
const P99_TARGET_US = 1000;

/** Sentence shapes over roster names: several schools, context, contrast, colloquial, vague. */
const SHAPES: readonly ((a: string, b: string, place: string) => string)[] = [
  (a, b) => `${a}和${b}是试点吗`,
  (a, b) => `我在${a}，离${b}很近，我们是试点吗`,
  (a, b) => `我不是问${a}，我问${b}`,
  (a, b) => `${a}是试点，那${b}呢`,
  (a, b) => `${a}、${b}这两所是不是试点`,
  (a) => `请问一下${a}算不算试点不`,
  (a) => `我孩子在${a}上学，这个学校是试点吗`,
  (_a, _b, place) => `${place}的那个小学是试点吗`,
  (_a, _b, place) => `${place}有哪几所试点学校`,
];

/** Deterministic sentence queries over a roster's unit names and counties. */
function medianP99(perQueryUs: Float64Array): number {
  const sorted = Float64Array.from(perQueryUs).sort();
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! : Number.NaN;
}

export function sentenceQueries(national: NationalRoster, count: number, seed = 11): string[] {
  const rng = new Prng(seed);
  const units = national.roster.units;
  const counties = units.map((u) => u.county).filter((c): c is string => Boolean(c));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const a = rng.pick(units).name;
    const b = rng.pick(units).name;
    out.push(rng.pick(SHAPES)(a, b, rng.pick(counties)));
  }
  return out;
}

export interface SentenceBenchInput {
  readonly gansu: Answerer;
  readonly national: Answerer;
  readonly nationalRoster: NationalRoster;
  readonly bareGansu: readonly string[];
  readonly bareNational: readonly string[];
  readonly sets: readonly { readonly name: string; readonly path: string }[];
  readonly peak: PeakRss;
}

export function benchSentences(input: SentenceBenchInput, progress: (m: string) => void): string {
  const lines: string[] = [];
  const sets = input.sets.filter((s) => existsSync(s.path));
  const labelled: Labelled[] = [];
  const rows: string[][] = [];
  for (const set of sets) {
    const labels = readLabelled(set.path);
    labelled.push(...labels);
    const classes = new Map<string, Labelled[]>();
    for (const l of labels) classes.set(l.class ?? 'all', [...(classes.get(l.class ?? 'all') ?? []), l]);
    for (const [cls, ls] of classes) {
      const s = score(ls, (q) => input.gansu.answer(q));
      rows.push([set.name, cls, fmt.int(s.total), fmt.pct(s.correct, s.total), fmt.int(s.falsePositives)]);
    }
    const all = score(labels, (q) => input.gansu.answer(q));
    rows.push([
      set.name,
      'all',
      fmt.int(all.total),
      fmt.pct(all.correct, all.total),
      fmt.int(all.falsePositives),
    ]);
  }
  lines.push(section('10. Whole sentences: accuracy and false positives per class (Gansu roster)'));
  lines.push(table(['<set', '<class', 'n', 'right', 'false yes'], rows));

  progress('timing whole sentences (Gansu and national)');
  const gansuSentences = labelled.map((l) => l.q);
  const nationalSentences = sentenceQueries(input.nationalRoster, 2000);
  for (const q of nationalSentences) input.national.answer(q); // warm-up
  const timed = [
    [
      'Gansu (77)',
      'bare names',
      timeQueries(input.bareGansu, (q) => input.gansu.answer(q), { ...TIMING, peak: input.peak }),
    ],
    [
      'Gansu (77)',
      'sentences',
      timeQueries(gansuSentences, (q) => input.gansu.answer(q), { ...TIMING, peak: input.peak }),
    ],
    [
      `national (${fmt.int(input.nationalRoster.roster.units.length)})`,
      'bare names',
      timeQueries(input.bareNational, (q) => input.national.answer(q), { ...TIMING, peak: input.peak }),
    ],
    [
      `national (${fmt.int(input.nationalRoster.roster.units.length)})`,
      'sentences',
      timeQueries(nationalSentences, (q) => input.national.answer(q), { ...TIMING, peak: input.peak }),
    ],
  ] as const;
  lines.push(section('11. Latency: bare names vs whole sentences (same run)'));
  lines.push(
    table(
      ['<roster', '<queries', 'n', 'p50 µs', 'p99 µs', 'max µs', 'p99 of medians µs'],
      timed.map(([roster, kind, t]) => [
        roster,
        kind,
        fmt.int(t.summary.samples / t.rounds),
        fmt.us(t.summary.p50Us),
        fmt.us(t.summary.p99Us),
        fmt.us(t.summary.maxUs),
        fmt.us(medianP99(t.perQueryUs)),
      ]),
    ),
  );
  const p99 = timed[3][2].summary.p99Us;
  const steady = medianP99(timed[3][2].perQueryUs);
  lines.push(
    "p99 of medians: the 99th percentile of each query's median over the rounds (what a query costs when",
    'the CPU is not taken by another process; the machine may be shared).',
    '',
    `[${p99 < P99_TARGET_US ? 'MET    ' : 'NOT MET'}] p99 < 1 ms per sentence on the national roster: ${fmt.us(p99)} µs (all samples), ${fmt.us(steady)} µs (p99 of medians)`,
  );
  return lines.join('\n');
}
