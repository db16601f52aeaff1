import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cleanUpAfterAll, prepare, sleep, startBot, startFake } from '../support/faults.js';

/**
 * The real bot process (`npm start`: npm forwards signals too) under faults, against the fake Bot API: process-group SIGTERM
 * with replies queued, repeated signals during a slow shutdown.
 * Each scenario that prints or stores anything checks that the token reached no output stream and
 * no text column of the database. (The fault scenarios are split over test/e2e/faults-*.test.ts
 * so that vitest runs them side by side; test/support/faults.ts has what they share.)
 */

cleanUpAfterAll();

describe('the bot under faults: signals', () => {
  it('stops with "stopped" and exit 0 on a process-group SIGTERM with replies queued, every time', async () => {
    const fake = await startFake();
    const runs: { code: number | null; signal: string | null; stopped: boolean }[] = [];
    for (let run = 0; run < 3; run++) {
      fake.reset();
      const bot = startBot(fake, prepare(), {}, { npm: true });
      await bot.waitForLog('"msg":"ready"', 30_000);
      // Twenty users ask at once; replies are paced, so most are still queued at the signal.
      for (let u = 0; u < 20; u++) fake.privateText(5000 + u, '/cities');
      await fake.waitForSent(1, undefined, 15_000);
      const result = await bot.stop('SIGTERM', 10_000);
      runs.push({ ...result, stopped: bot.stderr.includes('"msg":"stopped"') });
      expect(bot.stderr).not.toContain('forced exit');
    }
    expect(runs).toEqual(Array.from({ length: 3 }, () => ({ code: 0, signal: null, stopped: true })));
  }, 120_000);

  it('ignores a second signal during a slow shutdown and exits at the third', async () => {
    const fake = await startFake();
    const USER = 6001;
    // The reply never answers: the shutdown waits for that in-flight send (up to its grace).
    fake.blockChat(USER, { kind: 'hang' });
    const bot = startBot(fake, prepare(), { TELEGRAM_TIMEOUT_SECONDS: '60' }, { npm: true });
    await bot.waitForLog('"msg":"ready"', 30_000);
    fake.privateText(USER, '/cities');
    // The fake records a hanging call only when it ends; give the reply time to be under way.
    await sleep(1500);
    const node = Number(
      execFileSync('ps', ['-o', 'pid=', '--ppid', String(bot.child.pid)], { encoding: 'utf8' }).trim(),
    );
    expect(node).toBeGreaterThan(0);
    process.kill(node, 'SIGTERM');
    await bot.waitForLog('"msg":"shutting down"');
    await sleep(1700); // past the 1.5 s in which repeats count as the same request
    process.kill(node, 'SIGTERM');
    await bot.waitForLog('already shutting down; send it once more to force the exit');
    expect(bot.child.exitCode).toBeNull();
    expect(bot.stderr).not.toContain('"msg":"stopped"');
    await sleep(1700);
    process.kill(node, 'SIGTERM');
    expect((await bot.exited).code).toBe(130);
    expect(bot.stderr).toContain('forced exit during shutdown');
  }, 60_000);
});
