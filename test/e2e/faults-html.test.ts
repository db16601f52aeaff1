import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_TOKEN } from '../support/bot-process.js';
import { cli } from '../support/cli.js';
import {
  checkLeaks,
  cleanUpAfterAll,
  leakChecks,
  prepare,
  reminders,
  startBot,
  startFake,
} from '../support/faults.js';
import { columnValues } from '../support/leaks.js';

/**
 * The real bot process (as systemd runs it) under faults, against the fake Bot API: a proxy in front of
 * the API answers HTML error pages, at start-up and for sends, and the CLI meets them too.
 * Each scenario that prints or stores anything checks that the token reached no output stream and
 * no text column of the database. (The fault scenarios are split over test/e2e/faults-*.test.ts
 * so that vitest runs them side by side; test/support/faults.ts has what they share.)
 */

cleanUpAfterAll();

describe('the bot under faults: HTML error pages', () => {
  it('never leaks the token when the API answers HTML error pages (start-up, sends, CLI, database)', async () => {
    const GROUP = -1001000000101;
    const dir = prepare({
      groups: [{ chatId: GROUP, city: '兰州市' }],
      deadlines: [{ title: 'HTML 错误页测试' }],
    });
    const fake = await startFake();
    // A proxy in front of the API answers its own HTML pages: at start-up, then for every send to the group.
    fake.failNext('getMe', { kind: 'html', status: 404 }, { times: 2 });
    fake.blockChat(GROUP, { kind: 'html', status: 404 });
    const bot = startBot(fake, dir);
    await bot.waitForLog('"msg":"ready"', 30_000);
    expect(bot.stderr).toContain('getMe failed; retrying');
    expect(bot.stderr).toContain('invalid json response body');
    await bot.waitForLog('reminder postponed to the next tick', 30_000);
    // The failure was recorded for the coordinators, scrubbed.
    const [lastError] = columnValues(
      join(dir, 'bot.db'),
      `SELECT last_error FROM bindings WHERE chat_id = ${GROUP}`,
    );
    expect(String(lastError)).toMatch(/invalid json response body/);
    expect(String(lastError)).toContain('[redacted]');
    await bot.stop('SIGTERM');
    // The CLI meets the same page: it says so, exits non-zero, and prints no token either.
    const run = await cli(['reminders', 'run', '--json'], {
      env: {
        DATABASE_PATH: join(dir, 'bot.db'),
        BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: fake.url,
        TELEGRAM_RETRY_BASE_MS: '100',
      },
    });
    expect(run.status).toBe(75);
    expect(JSON.parse(run.stdout)).toEqual({
      sent: 0,
      failed: 0,
      deactivated: 0,
      migrated: 0,
      postponed: 1,
      announced: 0,
    });
    expect(reminders(fake, GROUP)).toEqual([]);
    checkLeaks(
      'HTML error pages',
      { botStdout: bot.stdout, botStderr: bot.stderr, cliStdout: run.stdout, cliStderr: run.stderr },
      join(dir, 'bot.db'),
    );
  }, 90_000);

  it('found the token in no output stream and no text column in any scenario', () => {
    expect([...leakChecks.keys()]).toEqual(['HTML error pages']);
    expect([...leakChecks.values()].flat()).toEqual([]);
  });
});
