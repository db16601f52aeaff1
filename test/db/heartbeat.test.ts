import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat } from '../../src/db/instance-lock.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

describe('instance lock heartbeat', () => {
  it('renews every interval; a busy database is retried after 1 s, 2 s, … and then the beat goes on', () => {
    const renewedAt: number[] = [];
    let failures = 2;
    const lock = {
      renew() {
        if (failures-- > 0) throw busy();
        renewedAt.push(performance.now());
      },
    };
    const logs: { level: string; msg: string; obj: object }[] = [];
    const logger = {
      warn: (obj: object, msg: string) => logs.push({ level: 'warn', msg, obj }),
      error: (obj: object, msg: string) => logs.push({ level: 'error', msg, obj }),
    };
    const start = performance.now();
    const heartbeat = startHeartbeat(lock, logger, 30_000);
    vi.advanceTimersByTime(30_000 + 1_000 + 2_000);
    expect(renewedAt.map((t) => t - start)).toEqual([33_000]);
    expect(logs.map((l) => l.msg)).toEqual([
      'database is busy; instance lock renewal retried',
      'database is busy; instance lock renewal retried',
      'instance lock renewed after the database was busy',
    ]);
    vi.advanceTimersByTime(60_000);
    expect(renewedAt.map((t) => t - start)).toEqual([33_000, 63_000, 93_000]);
    heartbeat.stop();
    vi.advanceTimersByTime(120_000);
    expect(renewedAt).toHaveLength(3);
    expect(vi.getTimerCount()).toBe(0);
  });
});
