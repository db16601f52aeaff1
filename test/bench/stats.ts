/** Latency statistics over per-query samples in nanoseconds. */

export interface LatencySummary {
  readonly samples: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  readonly meanUs: number;
  /** Queries per second over the timed rounds' wall time. */
  readonly qps: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarise(samplesNs: Float64Array, wallNs: number): LatencySummary {
  const sorted = Float64Array.from(samplesNs).sort();
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    samples: sorted.length,
    p50Us: percentile(sorted, 50) / 1e3,
    p99Us: percentile(sorted, 99) / 1e3,
    maxUs: (sorted.at(-1) ?? Number.NaN) / 1e3,
    meanUs: sorted.length ? sum / sorted.length / 1e3 : Number.NaN,
    qps: wallNs > 0 ? (sorted.length * 1e9) / wallNs : Number.NaN,
  };
}

/** Median of a small list of numbers. */
export function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
