import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkLeaks,
  cleanUpAfterAll,
  healthPort,
  healthz,
  leakChecks,
  prepare,
  startBot,
  startFake,
  until,
} from '../support/faults.js';
import { findSecret } from '../support/leaks.js';

/**
 * The real bot process (as systemd runs it) under faults, against the fake Bot API: HTML error pages at
 * start-up and for sends, 409 and 401 from getUpdates, /healthz.
 * Each scenario that prints or stores anything checks that the token reached no output stream and
 * no text column of the database. (The fault scenarios are split over test/e2e/faults-*.test.ts
 * so that vitest runs them side by side; test/support/faults.ts has what they share.)
 */

cleanUpAfterAll();

describe('the bot under faults: start-up and polling', () => {
  it('retries 409 Conflict with backoff and keeps answering once the other poller is gone', async () => {
    const fake = await startFake();
    fake.failNext('getUpdates', { kind: 'conflict' }, { times: 3 });
    const bot = startBot(fake, prepare());
    await bot.waitForLog('"msg":"ready"', 30_000);
    await until(
      'three 409 retries',
      () => (bot.stderr.match(/409 Conflict \(another poller\?\); retrying/g) ?? []).length === 3,
      30_000,
    );
    fake.privateText(4242, '/cities');
    await fake.waitForSent(1, 4242, 15_000);
    const { status, body } = await healthz(healthPort(bot));
    expect({ status, ok: body.ok }).toEqual({ status: 200, ok: true });
    await bot.stop('SIGTERM');
    checkLeaks('409 then recovery', { botStdout: bot.stdout, botStderr: bot.stderr });
  }, 60_000);

  it('exits 75 when 409 Conflict lasts past the retry window, and 77 at once on 401', async () => {
    const fake = await startFake();
    fake.failNext('getUpdates', { kind: 'conflict' }, { times: 10_000 });
    const conflicted = startBot(fake, prepare(), { TELEGRAM_CONFLICT_RETRY_SECONDS: '3' });
    const first = await conflicted.exited;
    expect(first.code).toBe(75);
    expect(conflicted.stderr).toContain('getUpdates answered 409 Conflict');
    expect(conflicted.stderr).toContain('"msg":"stopped"');
    fake.reset();

    fake.failNext('getUpdates', { kind: 'unauthorized' });
    const revoked = startBot(fake, prepare());
    expect((await revoked.exited).code).toBe(77);
    expect(revoked.stderr).toContain('BOT_TOKEN was rejected by Telegram (401)');
    // Only the one getUpdates: no retry loop against a revoked token.
    expect(fake.callsOf('getUpdates').filter((c) => c.status === 401)).toHaveLength(1);

    const wrongToken = startBot(fake, prepare(), {
      BOT_TOKEN: '123456789:AAWrongTokenWrongTokenWrongToken_123',
    });
    expect((await wrongToken.exited).code).toBe(77);
    expect(wrongToken.stderr).toContain('BOT_TOKEN was rejected by Telegram (401)');
    checkLeaks('409 past the window, 401', {
      conflictedStderr: conflicted.stderr,
      revokedStderr: revoked.stderr,
      wrongTokenStderr: wrongToken.stderr,
    });
    expect(
      findSecret('AAWrongTokenWrongTokenWrongToken_123', {
        wrongToken: wrongToken.stderr + wrongToken.stdout,
      }),
    ).toEqual([]);
  }, 60_000);

  it('serves /healthz in polling mode: 200, then 503 with the reason when the database file is deleted', async () => {
    const fake = await startFake();
    const dir = prepare();
    const bot = startBot(fake, dir);
    await bot.waitForLog('"msg":"ready"', 30_000);
    const port = healthPort(bot);
    // Healthy once a getUpdates succeeded (the fake answers an idle long poll after its timeout; a message ends it now).
    fake.privateText(4242, '/cities');
    await fake.waitForSent(1, 4242, 15_000);
    expect((await healthz(port)).status).toBe(200);
    rmSync(join(dir, 'bot.db'));
    const broken = await healthz(port);
    expect(broken.status).toBe(503);
    expect(broken.body.reasons.join(' ')).toContain('database file is missing');
    await bot.stop('SIGKILL');
  }, 60_000);

  it('found the token in no output stream and no text column in any scenario', () => {
    expect([...leakChecks.keys()]).toEqual(['409 then recovery', '409 past the window, 401']);
    expect([...leakChecks.values()].flat()).toEqual([]);
  });
});
