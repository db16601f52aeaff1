/**
 * Runs update handlers off telegraf's update loop. telegraf's long polling awaits the whole batch
 * of handlers before the next getUpdates (and a webhook answers only when its handler is done), so
 * one handler waiting for a paced send would hold every other user's update. Here each update is
 * handled in the background: in order within one chat (so a chat's answers keep its questions'
 * order), concurrently across chats. `admit` returns at once unless `maxPending` updates are
 * already being handled; then it waits for one to finish (bounded memory under any load).
 */
export class HandlerPool {
  private readonly chains = new Map<string, Promise<void>>();
  private pending = 0;
  private waiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly maxPending = 5_000) {}

  /** Number of updates admitted and not yet handled. */
  get size(): number {
    return this.pending;
  }

  /**
   * Schedules `run` after the previous update of the same key (chat) has been handled. `run` must
   * not reject (the caller handles its errors). Resolves once admitted.
   */
  async admit(key: string, run: () => Promise<void>): Promise<void> {
    while (this.pending >= this.maxPending) await new Promise<void>((r) => this.waiters.push(r));
    this.pending++;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const task = previous.then(run).finally(() => {
      if (this.chains.get(key) === task) this.chains.delete(key);
      this.pending--;
      this.waiters.shift()?.();
      if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
    this.chains.set(key, task);
  }

  /** Resolves when every admitted update has been handled. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
