import type { PeakRss } from './memory.js';
import { type LatencySummary, median, summarise } from './stats.js';

export interface TimingOptions {
  /** Timed rounds over the whole query list (after the caller's warm-up). */
  readonly rounds: number;
  /** Stop starting new rounds once this much time went by (at least one round always runs). */
  readonly budgetMs: number;
  readonly peak: PeakRss;
}

export interface TimingResult {
  readonly summary: LatencySummary;
  readonly rounds: number;
  /** Median latency of each query over the rounds, in µs (same order as the queries). */
  readonly perQueryUs: Float64Array;
}

const RSS_EVERY = 512;

/**
 * Times fn on every query, one process.hrtime.bigint() pair per call, over several rounds. The
 * RSS sampling happens between calls, outside the timed intervals.
 */
export function timeQueries(
  queries: readonly string[],
  fn: (q: string) => unknown,
  options: TimingOptions,
): TimingResult {
  const rounds: Float64Array[] = [];
  let wall = 0;
  let sink = 0;
  const started = process.hrtime.bigint();
  while (rounds.length < options.rounds) {
    if (rounds.length && Number(process.hrtime.bigint() - started) / 1e6 > options.budgetMs) break;
    const samples = new Float64Array(queries.length);
    const roundStart = process.hrtime.bigint();
    for (let i = 0; i < queries.length; i++) {
      const t0 = process.hrtime.bigint();
      const out = fn(queries[i]!);
      samples[i] = Number(process.hrtime.bigint() - t0);
      if (out) sink++;
      if (i % RSS_EVERY === 0) options.peak.sample();
    }
    wall += Number(process.hrtime.bigint() - roundStart);
    options.peak.sample();
    rounds.push(samples);
  }
  if (sink < 0) console.log(sink); // keeps the results observable
  const all = new Float64Array(rounds.length * queries.length);
  rounds.forEach((r, i) => {
    all.set(r, i * queries.length);
  });
  const perQueryUs = new Float64Array(queries.length);
  for (let i = 0; i < queries.length; i++) perQueryUs[i] = median(rounds.map((r) => r[i]!)) / 1e3;
  return { summary: summarise(all, wall), rounds: rounds.length, perQueryUs };
}
