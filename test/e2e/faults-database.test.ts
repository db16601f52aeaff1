import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  checkLeaks,
  cleanUpAfterAll,
  healthPort,
  healthz,
  leakChecks,
  prepare,
  reminders,
  sleep,
  startBot,
  startFake,
  texts,
  until,
} from '../support/faults.js';
import { columnValues } from '../support/leaks.js';

/**
 * The real bot process (as systemd runs it) under faults, against the fake Bot API: an external SQLite
 * write lock, 401 in the middle of a reminder tick.
 * Each scenario that prints or stores anything checks that the token reached no output stream and
 * no text column of the database. (The fault scenarios are split over test/e2e/faults-*.test.ts
 * so that vitest runs them side by side; test/support/faults.ts has what they share.)
 */

cleanUpAfterAll();

describe('the bot under faults: the database', () => {
  it('survives a long external write lock: busy replies at worst, heartbeat retried, all well afterwards', async () => {
    const GROUP = -1001000000201;
    const fake = await startFake();
    fake.setChatMember(GROUP, ADMIN, 'administrator');
    const dir = prepare();
    // Shorter waits than production's (a 5 s busy timeout, a 30 s heartbeat), the same sequence:
    // every write retry meets the lock, and so does a heartbeat.
    const bot = startBot(fake, dir, { DATABASE_BUSY_TIMEOUT_MS: '1000', INSTANCE_HEARTBEAT_SECONDS: '3' });
    await bot.waitForLog('"msg":"ready"', 30_000);
    const port = healthPort(bot);
    // A DB browser or sqlite3 shell takes the write lock, longer than every retry of a write.
    const other = new Database(join(dir, 'bot.db'));
    other.pragma('busy_timeout = 10000');
    other.exec('BEGIN IMMEDIATE');
    try {
      // A write (binding the group) meets the lock: retried, then the user is told to try later.
      fake.groupText(GROUP, ADMIN, '/bind 兰州');
      await fake.waitForSent(1, GROUP, 35_000);
      expect(texts(fake, GROUP)[0]).toBe('系统繁忙，请稍后再试');
      // Reads still work (WAL): a question is answered during the lock.
      fake.privateText(4242, '/cities');
      await fake.waitForSent(1, 4242, 15_000);
      const during = await healthz(port);
      expect(during.status).toBe(503);
      expect(during.body.reasons.join(' ')).toMatch(/database does not answer a write\/read/);
      await until(
        'a heartbeat to meet the lock',
        () => bot.stderr.includes('database is busy; instance lock renewal retried'),
        30_000,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(bot.child.exitCode).toBeNull();
    fake.groupText(GROUP, ADMIN, '/bind 兰州');
    await fake.waitForSent(2, GROUP, 20_000);
    // The same write now goes through (a binding request, since issue 8, for a group admin).
    expect(texts(fake, GROUP)[1]).toMatch(/已提交绑定申请：兰州市|已绑定到：兰州市/);
    const after = await healthz(port);
    expect(after.status).toBe(200);
    await bot.stop('SIGTERM');
    checkLeaks('external lock', { botStdout: bot.stdout, botStderr: bot.stderr }, join(dir, 'bot.db'));
  }, 120_000);

  it('gives the claims back on 401 during a tick; the next working tick sends them once', async () => {
    const GROUPS = [-1001000000301, -1001000000302];
    const dir = prepare({
      groups: GROUPS.map((chatId) => ({ chatId, city: '兰州市' })),
      deadlines: [{ title: '令牌轮换测试' }],
    });
    const fake = await startFake();
    for (const g of GROUPS) fake.blockChat(g, { kind: 'unauthorized' });
    const bot = startBot(fake, dir);
    await bot.waitForLog('"msg":"ready"', 30_000);
    await until(
      'two postponed ticks',
      () =>
        (bot.stderr.match(/BOT_TOKEN was rejected by Telegram \(401\)","msg":"reminder postponed/g) ?? [])
          .length >= 4,
      20_000,
    );
    expect(
      columnValues(join(dir, 'bot.db'), "SELECT count(*) FROM deliveries WHERE status = 'failed'"),
    ).toEqual([0]);
    for (const g of GROUPS) fake.unblockChat(g);
    await until('both groups reminded', () => GROUPS.every((g) => reminders(fake, g).length === 1), 20_000);
    await sleep(2500);
    for (const g of GROUPS) expect(reminders(fake, g)).toHaveLength(1);
    await bot.stop('SIGTERM');
    checkLeaks('401 during a tick', { botStdout: bot.stdout, botStderr: bot.stderr }, join(dir, 'bot.db'));
  }, 60_000);

  it('found the token in no output stream and no text column in any scenario', () => {
    expect([...leakChecks.keys()]).toEqual(['external lock', '401 during a tick']);
    expect([...leakChecks.values()].flat()).toEqual([]);
  });
});
