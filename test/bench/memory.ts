import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Memory readings in MB, with a forced collection first so "before/after" compare live data. */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

const MB = 1024 * 1024;

export interface MemoryReading {
  readonly rssMb: number;
  readonly heapUsedMb: number;
}

/** Collects garbage (when the runtime allows it) and reads rss and heapUsed. */
export function settledMemory(): MemoryReading {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, heapUsedMb: m.heapUsed / MB };
}

/** Current RSS in MB; cheap enough to sample between timed queries. */
export function rssMb(): number {
  return process.memoryUsage.rss() / MB;
}

/** Peak RSS of this process so far, in MB (from getrusage). */
export function maxRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

/** Tracks the highest RSS seen across samples. */
export class PeakRss {
  private peak = 0;

  sample(): void {
    this.peak = Math.max(this.peak, rssMb());
  }

  get mb(): number {
    return this.peak;
  }
}
