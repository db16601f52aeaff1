/**
 * The one source of time and timers. Everything that reads the time or waits takes a `Clock`
 * (defaulting to {@link systemClock}), so tests can run it on virtual time. `systemClock` reads the
 * globals at call time, which also makes it follow vitest's fake timers.
 */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (stored, compared with due times). */
  now(): number;
  /** Monotonic milliseconds for measuring intervals and pacing; never jumps with the wall clock. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer): void;
}

/** A timer handle; `unref` lets the process exit while it is pending. */
export interface ClockTimer {
  unref?(): unknown;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on `clock`. */
export function sleep(ms: number, clock: Clock = systemClock): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
