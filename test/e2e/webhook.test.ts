import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, TEST_TOKEN } from '../support/bot-process.js';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.js';

/** Webhook mode of the real process: secret token checked, health endpoint, updates answered. */

const SECRET = 'webhook_secret_0123';
let fake: FakeBotApi;
let bot: BotProcess;
let port: number;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const update = (text: string, updateId: number) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: 4242, type: 'private', first_name: 'W' },
    from: { id: 4242, is_bot: false, first_name: 'W' },
    text,
  },
});

beforeAll(async () => {
  fake = await startFakeBotApi({ token: TEST_TOKEN });
  port = await freePort();
  bot = new BotProcess({
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    WEBHOOK_URL: `http://127.0.0.1:${port}/tg`,
    WEBHOOK_SECRET: SECRET,
    PORT: String(port),
  });
  await bot.waitForLog('"msg":"ready"');
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGTERM');
  bot?.cleanup();
  await fake?.close();
});

describe('webhook mode', () => {
  it('registers the webhook with its secret token', () => {
    const [call] = fake.callsOf('setWebhook');
    expect(call?.params.url).toBe(`http://127.0.0.1:${port}/tg`);
    expect(call?.params.secret_token).toBe(SECRET);
  });

  it('answers GET /healthz', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, mode: 'webhook' });
  });

  it('rejects an update without the secret header and handles one with it', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/tg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const forged = await post({}, update('张掖中学', 1));
    expect(forged.status).toBe(403);
    const wrong = await post({ 'x-telegram-bot-api-secret-token': 'nope' }, update('张掖中学', 2));
    expect(wrong.status).toBe(403);
    expect(fake.sent(4242)).toHaveLength(0);
    const genuine = await post({ 'x-telegram-bot-api-secret-token': SECRET }, update('张掖中学', 3));
    expect(genuine.status).toBe(200);
    await fake.waitForSent(1, 4242);
    expect(String(fake.sent(4242)[0]?.text)).toContain('名单全称：张掖中学');
  });

  it('survives bodies that are JSON but not updates, and answers the next real update', async () => {
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${port}/tg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        body,
      });
    for (const body of ['null', '[]', '{"update_id":5}', '"text"', '42', '{"update_id":"x","message":{}}']) {
      const res = await post(body);
      expect(res.status).toBeLessThan(500);
    }
    expect(bot.child.exitCode).toBeNull();
    const before = fake.sent(4242).length;
    expect((await post(JSON.stringify(update('张掖中学', 10)))).status).toBe(200);
    await fake.waitForSent(before + 1, 4242);
    expect(bot.stderr).toContain('ignored a body that is not an update');
  });

  it('answers 503 on /healthz with the reason once the database file is gone', async () => {
    rmSync(join(bot.dir, 'bot.db'));
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; reasons: string[] };
    expect(body.ok).toBe(false);
    expect(body.reasons.join(' ')).toContain('database file is missing');
  });
});
