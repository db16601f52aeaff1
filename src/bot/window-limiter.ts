/** One send as seen by a {@link WindowLimiter}. */
export interface Slot {
  readonly start: number;
  /** Latest moment the server may have counted the send: completion, capped at start + capMs. */
  stamp: number;
  done: boolean;
}

/**
 * "At most `count` sends in any `windowMs`", counted conservatively: a send may start only
 * `windowMs` after the stamp of every send at least `count` places earlier. A send reaches the
 * server somewhere between its start and its completion, so its stamp is its completion (the
 * latest moment the server can have counted it), capped at start + `capMs`; while in flight the
 * stamp is start + `capMs` (with an infinite cap an in-flight send blocks). The bound is exact for
 * every send that reaches the server within `capMs` of its start, however late its answer comes
 * back. Memory: at most `count` slots plus the in-flight ones. Times are the caller's (monotonic) ms.
 */
export class WindowLimiter {
  /** Largest stamp among settled sends at least `count` places back. */
  private floor = Number.NEGATIVE_INFINITY;
  /** Recent sends in start order. */
  private readonly recent: Slot[] = [];

  constructor(
    private readonly count: number,
    private readonly windowMs: number,
    private readonly capMs: number = Number.POSITIVE_INFINITY,
  ) {}

  /** Earliest moment the next send may start; Infinity while it depends on an unfinished send. */
  nextStart(): number {
    let bound = this.floor;
    const older = this.recent.length - (this.count - 1);
    for (let i = 0; i < older; i++) bound = Math.max(bound, this.recent[i]!.stamp);
    return bound + this.windowMs;
  }

  /** Moment after which this limiter no longer constrains anything (if nothing else starts). */
  idleAfter(): number {
    let last = this.floor;
    for (const slot of this.recent) last = Math.max(last, slot.stamp);
    return last + this.windowMs;
  }

  begin(now: number): Slot {
    const slot: Slot = { start: now, stamp: now + this.capMs, done: false };
    this.recent.push(slot);
    return slot;
  }

  end(slot: Slot, now: number): void {
    slot.stamp = Math.min(now, slot.start + this.capMs);
    slot.done = true;
    while (this.recent.length > this.count - 1 && this.recent[0]!.done) {
      this.floor = Math.max(this.floor, this.recent.shift()!.stamp);
    }
  }
}

/** A rate of `rate` per `periodMs` as "`count` in any `windowMs`" (fractional rates allowed). */
export function windowOf(rate: number, periodMs: number): { count: number; windowMs: number } {
  const count = Math.max(1, Math.floor(rate));
  return { count, windowMs: (periodMs * count) / rate };
}
