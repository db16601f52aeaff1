/**
 * What `GET /healthz` answers: healthy only when the bot can do its job right now —
 * the database answers a write and a read (and is still the file it opened), Telegram answered
 * recently (a getUpdates in polling mode; any call or a webhook update in webhook mode), and the
 * reminder scheduler ticked on time. Each check that fails gives an English reason.
 */
import { statSync } from 'node:fs';
import { type Clock, systemClock } from '../clock.js';

export interface HealthOptions {
  readonly mode: 'polling' | 'webhook';
  /** Writes and reads the database; throws when it cannot (locked, read-only, lock lost). */
  readonly probeDatabase: () => void;
  /** The database file (':memory:' skips the file check). */
  readonly databasePath: string;
  /** Telegram must have answered within this long; default 3 min. */
  readonly telegramStaleMs?: number;
  /** A tick may be this late after its scheduled time; default 2 min. */
  readonly tickGraceMs?: number;
  /** A tick running longer than this is stuck; default 10 min. */
  readonly tickStuckMs?: number;
  readonly clock?: Pick<Clock, 'now'>;
}

export interface HealthReport {
  readonly ok: boolean;
  readonly mode: 'polling' | 'webhook';
  /** Why it is not healthy (empty when ok). */
  readonly reasons: string[];
  readonly lastTelegramAt: string | null;
  readonly lastTickAt: string | null;
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export class Health {
  private readonly startedAt: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly fileId: string | null;
  private telegramAt: number | null = null;
  private lastTickAt: number | null = null;
  private tickRunningSince: number | null = null;
  private nextTickAt: number | null = null;

  constructor(private readonly opts: HealthOptions) {
    this.clock = opts.clock ?? systemClock;
    this.startedAt = this.clock.now();
    this.fileId = this.currentFileId();
  }

  /** When Telegram last answered (see {@link telegramAnswered}), or null. */
  get lastTelegramAt(): number | null {
    return this.telegramAt;
  }

  /** Telegram answered a call (polling mode counts only getUpdates). */
  telegramAnswered(method: string): void {
    if (this.opts.mode === 'polling' && method !== 'getUpdates') return;
    this.telegramAt = this.clock.now();
  }

  /** A webhook update arrived and was handled. */
  updateHandled(): void {
    if (this.opts.mode === 'webhook') this.telegramAt = this.clock.now();
  }

  /** The scheduler triggered a tick; `next` is when it will trigger again. */
  tickStarted(next: Date | null): void {
    this.tickRunningSince = this.clock.now();
    this.nextTickAt = next ? next.getTime() : null;
  }

  tickFinished(): void {
    this.tickRunningSince = null;
    this.lastTickAt = this.clock.now();
  }

  check(): HealthReport {
    const now = this.clock.now();
    const reasons: string[] = [];
    try {
      const id = this.currentFileId();
      if (this.fileId !== null && id === null) reasons.push('database file is missing (deleted?)');
      else if (this.fileId !== null && id !== this.fileId) reasons.push('database file was replaced');
      else this.opts.probeDatabase();
    } catch (err) {
      reasons.push(
        `database does not answer a write/read: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const staleMs = this.opts.telegramStaleMs ?? 180_000;
    const since = this.telegramAt ?? this.startedAt;
    if (now - since > staleMs) {
      const what = this.opts.mode === 'polling' ? 'getUpdates' : 'any Bot API call or webhook update';
      reasons.push(
        this.telegramAt === null
          ? `no successful ${what} since the start ${Math.round((now - since) / 1000)} s ago`
          : `no successful ${what} for ${Math.round((now - since) / 1000)} s`,
      );
    }
    if (this.tickRunningSince !== null && now - this.tickRunningSince > (this.opts.tickStuckMs ?? 600_000)) {
      reasons.push(`reminder tick running for ${Math.round((now - this.tickRunningSince) / 1000)} s`);
    } else if (this.nextTickAt !== null && now > this.nextTickAt + (this.opts.tickGraceMs ?? 120_000)) {
      reasons.push(`reminder scheduler missed its tick due at ${new Date(this.nextTickAt).toISOString()}`);
    } else if (this.nextTickAt === null && this.lastTickAt === null && now - this.startedAt > 120_000) {
      reasons.push('reminder scheduler has not ticked since the start');
    }
    return {
      ok: reasons.length === 0,
      mode: this.opts.mode,
      reasons,
      lastTelegramAt: iso(this.telegramAt),
      lastTickAt: iso(this.lastTickAt),
    };
  }

  private currentFileId(): string | null {
    if (this.opts.databasePath === ':memory:') return null;
    try {
      const st = statSync(this.opts.databasePath);
      return `${st.dev}:${st.ino}`;
    } catch {
      return null;
    }
  }
}
