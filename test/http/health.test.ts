import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Health } from '../../src/http/health.js';
import { tempDir } from '../support/tmp.js';

describe('Health', () => {
  const MIN = 60_000;
  function setup(mode: 'polling' | 'webhook', probe: () => void = () => {}) {
    const dir = tempDir('kczm-health-');
    const file = join(dir, 'bot.db');
    writeFileSync(file, '');
    let now = 1_000_000;
    const health = new Health({ mode, probeDatabase: probe, databasePath: file, clock: { now: () => now } });
    return { health, file, dir, advance: (ms: number) => (now += ms), at: () => now };
  }

  it('is healthy after a getUpdates and a tick, and says why not otherwise', () => {
    const { health, advance, at, dir } = setup('polling');
    health.telegramAnswered('getUpdates');
    health.tickStarted(new Date(at() + MIN));
    health.tickFinished();
    expect(health.check()).toMatchObject({ ok: true, reasons: [] });
    // Other calls do not prove polling works.
    advance(4 * MIN);
    health.telegramAnswered('sendMessage');
    const report = health.check();
    expect(report.ok).toBe(false);
    expect(report.reasons).toEqual([
      'no successful getUpdates for 240 s',
      expect.stringContaining('reminder scheduler missed its tick due at'),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a failing database probe and a deleted database file', () => {
    let fail = false;
    const { health, file, dir } = setup('webhook', () => {
      if (fail) throw new Error('database is locked');
    });
    health.updateHandled();
    expect(health.check().ok).toBe(true);
    fail = true;
    expect(health.check().reasons).toEqual(['database does not answer a write/read: database is locked']);
    fail = false;
    rmSync(file);
    expect(health.check().reasons).toEqual(['database file is missing (deleted?)']);
    rmSync(dir, { recursive: true, force: true });
  });
});
