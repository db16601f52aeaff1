import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { bindings, deadlines, units } from '../../src/db/schema.js';
import { applySeed } from '../../src/db/seed.js';
import { readSeedData } from '../../src/db/seed-files.js';
import { BotProcess, TEST_TOKEN } from '../support/bot-process.js';
import { cli } from '../support/cli.js';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.js';
import { columnValues, findSecret } from '../support/leaks.js';
import { DATA_DIR } from '../support/roster.js';
import { tempDir } from '../support/tmp.js';

/**
 * The real bot process (`npm start`) under faults, against the fake Bot API: HTML error pages,
 * 401 and 409 from getUpdates, requests that never answer, a malformed message, an external
 * SQLite write lock, process-group signals. Each scenario also checks that the token reached no
 * output stream and no text column of the database; the last test sums that up.
 */

const SECRET = TEST_TOKEN.split(':')[1]!;
const COORDINATOR = 900;
const ADMIN = 901;
const HOUR = 3_600_000;
/** Every scenario's leak check: name → places where the secret was found. */
const leakChecks = new Map<string, string[]>();
const cleanups: (() => Promise<void> | void)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // The rest still runs; test/support/setup.ts removes the temp folders anyway.
    }
  }
});

interface Setup {
  readonly groups?: readonly { chatId: number; unit?: string; city?: string }[];
  readonly deadlines?: readonly { title: string; unit?: string }[];
}

/** A temp directory with a seeded database, bound groups and reminders due now (late). */
function prepare(setup: Setup = {}): string {
  const dir = tempDir('kczm-faults-');
  const db = openDatabase(join(dir, 'bot.db'));
  try {
    applySeed(db, readSeedData(DATA_DIR));
    const unitId = (name: string) => {
      const row = db
        .select()
        .from(units)
        .all()
        .find((u) => u.name.endsWith(name));
      if (!row) throw new Error(`no unit ${name}`);
      return row;
    };
    for (const g of setup.groups ?? []) {
      const unit = g.unit ? unitId(g.unit) : undefined;
      db.insert(bindings)
        .values({
          chatId: g.chatId,
          chatTitle: `测试群 ${g.chatId}`,
          kind: unit ? 'unit' : 'city',
          prefecture: unit?.prefecture ?? g.city ?? '兰州市',
          unitId: unit?.id ?? null,
          boundBy: ADMIN,
        })
        .run();
    }
    for (const d of setup.deadlines ?? []) {
      // Due in 2 hours with a 3-hour reminder: due now (late).
      db.insert(deadlines)
        .values({
          title: d.title,
          submit: null,
          dueAt: Date.now() + 2 * HOUR,
          audience: d.unit ? { kind: 'units', unitIds: [unitId(d.unit).id] } : { kind: 'all_units' },
          offsets: ['3h'],
          source: null,
        })
        .run();
    }
  } finally {
    db.$client.close();
  }
  return dir;
}

async function startFake(): Promise<FakeBotApi> {
  const fake = await startFakeBotApi({ token: TEST_TOKEN });
  cleanups.push(() => fake.close());
  return fake;
}

function startBot(fake: FakeBotApi, dir: string, env: Record<string, string> = {}): BotProcess {
  const bot = new BotProcess(
    {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      ADMIN_USER_IDS: String(COORDINATOR),
      REMINDER_CRON: '*/1 * * * * *',
      ...env,
    },
    dir,
  );
  cleanups.push(async () => {
    await bot.stop('SIGKILL');
    bot.cleanup();
  });
  return bot;
}

/** Records (for the summary test) whether the secret occurs in the outputs or the database. */
function checkLeaks(scenario: string, outputs: Record<string, string>, dbPath?: string): void {
  const found = findSecret(SECRET, outputs, dbPath);
  leakChecks.set(scenario, found);
  expect(found).toEqual([]);
}

function healthPort(bot: BotProcess): number {
  const m = /"port":(\d+),"msg":"http listening/.exec(bot.stderr);
  if (!m) throw new Error(`no http port in the log:\n${bot.stderr}`);
  return Number(m[1]);
}

async function healthz(port: number): Promise<{ status: number; body: { ok: boolean; reasons: string[] } }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; reasons: string[] } };
}

async function until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const texts = (fake: FakeBotApi, chatId: number) => fake.sent(chatId).map((m) => String(m.text));
const reminders = (fake: FakeBotApi, chatId: number) =>
  texts(fake, chatId).filter((t) => t.includes('截止提醒'));

describe('the bot under faults', () => {
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
      env: { DATABASE_PATH: join(dir, 'bot.db'), BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.url },
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

  it('survives a 40 s external write lock: busy replies at worst, heartbeat retried, all well afterwards', async () => {
    const GROUP = -1001000000201;
    const fake = await startFake();
    fake.setChatMember(GROUP, ADMIN, 'administrator');
    const dir = prepare();
    const bot = startBot(fake, dir);
    await bot.waitForLog('"msg":"ready"', 30_000);
    const port = healthPort(bot);
    // A DB browser or sqlite3 shell takes the write lock for 40 s.
    const other = new Database(join(dir, 'bot.db'));
    other.pragma('busy_timeout = 10000');
    other.exec('BEGIN IMMEDIATE');
    const lockedAt = Date.now();
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
      await until('the lock to have lasted 40 s', () => Date.now() - lockedAt >= 40_000, 45_000);
      expect(bot.stderr).toContain('database is busy; instance lock renewal retried');
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

  it('cuts button text between code points, and retries a rejected digest per deadline; what still fails is reported', async () => {
    const EMOJI_GROUP = -1001000000401;
    const REJECT_GROUP = -1001000000402;
    // "✅ 已完成：" is 6 code units: the emoji starts at unit 59 and `.slice(0, 60)` would halve it.
    const emojiTitle = `${'材'.repeat(53)}😀料提交`;
    const dir = prepare({
      groups: [
        { chatId: EMOJI_GROUP, unit: '五泉小学' },
        { chatId: REJECT_GROUP, unit: '民主西路小学' },
      ],
      deadlines: [{ title: emojiTitle }, { title: '第二项：照片' }],
    });
    const fake = await startFake();
    // The digest to REJECT_GROUP is refused, then its first plain retry (the emoji deadline) too.
    fake.failNext(
      'sendMessage',
      { kind: 'bad_request', description: "Bad Request: can't parse entities" },
      { chatId: REJECT_GROUP, times: 2 },
    );
    const bot = startBot(fake, dir);
    await bot.waitForLog('"msg":"ready"', 30_000);
    await until('the emoji group reminded', () => reminders(fake, EMOJI_GROUP).length === 1, 20_000);
    const message = fake.sent(EMOJI_GROUP).find((m) => String(m.text).includes('截止提醒'))!;
    const buttons = (message.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat();
    expect(buttons).toHaveLength(2);
    for (const b of buttons) expect(b.text).not.toMatch(LONE_SURROGATE);
    expect(buttons.map((b) => Object.keys(b).sort())).toEqual([
      ['callback_data', 'text'],
      ['callback_data', 'text'],
    ]);

    await until(
      'the coordinator told of the defect and the other deadline delivered',
      () =>
        texts(fake, COORDINATOR).some((t) => t.includes('未能发到群')) &&
        texts(fake, REJECT_GROUP).length > 0,
      20_000,
    );
    const delivered = texts(fake, REJECT_GROUP);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toContain('第二项：照片');
    expect(delivered[0]).not.toContain('😀');
    expect(texts(fake, COORDINATOR).find((t) => t.includes('未能发到群'))).toContain(String(REJECT_GROUP));
    expect(bot.stderr).toContain('defect: Telegram rejects this reminder even as plain text');
    const statuses = () =>
      columnValues(
        join(dir, 'bot.db'),
        `SELECT d.title || ':' || x.status FROM deliveries x JOIN deadlines d ON d.id = x.deadline_id WHERE x.chat_id = ${REJECT_GROUP} ORDER BY d.id`,
      );
    // The bot records the outcome just after Telegram answered it.
    await until(
      'both outcomes recorded',
      () => statuses().length === 2 && !statuses().some((x) => String(x).endsWith(':claimed')),
      10_000,
    );
    expect(statuses()).toEqual([`${emojiTitle}:failed`, '第二项：照片:sent']);
    await bot.stop('SIGTERM');
    checkLeaks('malformed digest', { botStdout: bot.stdout, botStderr: bot.stderr }, join(dir, 'bot.db'));
  }, 60_000);

  it('does not let one never-answering chat hold up the others; it is sent on a later tick', async () => {
    const HANG = -1001000000501;
    const OTHERS = [-1001000000502, -1001000000503, -1001000000504];
    const dir = prepare({
      groups: [HANG, ...OTHERS].map((chatId) => ({ chatId, city: '兰州市' })),
      deadlines: [{ title: '无响应测试' }],
    });
    const fake = await startFake();
    fake.blockChat(HANG, { kind: 'hang' });
    const bot = startBot(fake, dir, { TELEGRAM_TIMEOUT_SECONDS: '2' });
    await bot.waitForLog('"msg":"ready"', 30_000);
    await until(
      'the other groups reminded',
      () => OTHERS.every((g) => reminders(fake, g).length === 1),
      20_000,
    );
    // The hanging send is still open or has just timed out: it did not block the others.
    expect(reminders(fake, HANG)).toEqual([]);
    await bot.waitForLog('Telegram did not answer sendMessage within 2 s', 20_000);
    fake.unblockChat(HANG);
    await until('the hanging group reminded', () => reminders(fake, HANG).length === 1, 20_000);
    await sleep(2500);
    for (const g of [HANG, ...OTHERS]) expect(reminders(fake, g)).toHaveLength(1);
    await bot.stop('SIGTERM');
    checkLeaks('hanging chat', { botStdout: bot.stdout, botStderr: bot.stderr }, join(dir, 'bot.db'));
  }, 60_000);

  it('stops with "stopped" and exit 0 on a process-group SIGTERM with replies queued, every time', async () => {
    const fake = await startFake();
    const runs: { code: number | null; signal: string | null; stopped: boolean }[] = [];
    for (let run = 0; run < 3; run++) {
      fake.reset();
      const bot = startBot(fake, prepare());
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
    const bot = startBot(fake, prepare(), { TELEGRAM_TIMEOUT_SECONDS: '60' });
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

  it('refuses `reminders run --at` in the future unless --dry-run or --force', async () => {
    const GROUP = -1001000000601;
    const dir = prepare({ groups: [{ chatId: GROUP, city: '兰州市' }] });
    const fake = await startFake();
    const env = { DATABASE_PATH: join(dir, 'bot.db'), BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: fake.url };
    const due = Date.now() + 10 * 86400_000;
    const add = await cli(
      ['deadlines', 'add', '--title', '未来提醒', '--due', new Date(due).toISOString(), '--offsets', '3h'],
      { env },
    );
    expect(add.status).toBe(0);
    // A minute after the 3-hour reminder is due: what a rehearsal of that moment would send.
    const at = new Date(due - 3 * HOUR + 60_000).toISOString();
    const refused = await cli(['reminders', 'run', '--at', at], { env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('is in the future');
    const dry = await cli(['reminders', 'run', '--at', at, '--dry-run', '--json'], { env });
    expect(dry.status).toBe(0);
    const preview = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      messages: { chatId: number; text: string }[];
    };
    expect(preview.messages.map((m) => m.chatId)).toEqual([GROUP]);
    expect(preview.messages[0]?.text).toContain('未来提醒');
    expect(fake.sent()).toEqual([]);
    expect(columnValues(join(dir, 'bot.db'), 'SELECT count(*) FROM deliveries')).toEqual([0]);
    const forced = await cli(['reminders', 'run', '--at', at, '--force', '--json'], { env });
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain('WARNING: --force');
    expect(JSON.parse(forced.stdout)).toEqual({
      sent: 1,
      failed: 0,
      deactivated: 0,
      migrated: 0,
      postponed: 0,
      announced: 0,
    });
    expect(reminders(fake, GROUP)).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
    checkLeaks('CLI', {
      refused: refused.stderr,
      dry: dry.stdout + dry.stderr,
      forced: forced.stdout + forced.stderr,
    });
  }, 90_000);

  it('found the token in no output stream and no text column in any scenario', () => {
    expect([...leakChecks.keys()]).toEqual([
      'HTML error pages',
      '409 then recovery',
      '409 past the window, 401',
      'external lock',
      '401 during a tick',
      'malformed digest',
      'hanging chat',
      'CLI',
    ]);
    expect([...leakChecks.values()].flat()).toEqual([]);
  });
});
