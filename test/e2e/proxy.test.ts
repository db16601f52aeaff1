import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotProcess, PROJECT_ROOT, TEST_TOKEN } from '../support/bot-process.js';
import { type FakeBotApi, startFakeBotApi } from '../support/fake-bot-api.js';
import { type LoopbackProxy, startHttpProxy, startSocks5Proxy } from '../support/proxies.js';

/**
 * TELEGRAM_PROXY: the real process reaches the (HTTPS) fake Bot API only through a real proxy on
 * loopback. telegraf ignores its agent for http:// API roots, so the fake serves HTTPS with a
 * self-signed certificate for 127.0.0.1 that the process trusts via NODE_EXTRA_CA_CERTS.
 */

const TLS = join(PROJECT_ROOT, 'test', 'fixtures', 'tls');
const ADMIN = 7001;

let fake: FakeBotApi | undefined;
let proxy: LoopbackProxy | undefined;
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await proxy?.close();
  await fake?.close();
  bot = proxy = fake = undefined;
});

// Two real processes: HTTP CONNECT (set through the HTTPS_PROXY fallback) and SOCKS5 (TELEGRAM_PROXY).
describe.each([
  ['http:// (HTTPS_PROXY)', startHttpProxy, 'HTTPS_PROXY'],
  ['socks5:// (TELEGRAM_PROXY)', startSocks5Proxy, 'TELEGRAM_PROXY'],
] as const)('through a %s proxy', (_name, start, variable) => {
  it('every Bot API call — getMe, long polling, replies, a document upload — goes through it', async () => {
    fake = await startFakeBotApi({
      token: TEST_TOKEN,
      tls: { key: readFileSync(join(TLS, 'key.pem')), cert: readFileSync(join(TLS, 'cert.pem')) },
    });
    proxy = await start();
    bot = new BotProcess({
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      [variable]: proxy.url,
      NODE_EXTRA_CA_CERTS: join(TLS, 'cert.pem'),
      ADMIN_USER_IDS: String(ADMIN),
    });
    await bot.waitForLog('"msg":"ready"');
    expect(bot.stderr).toContain(`"proxy":"${new URL(proxy.url).protocol}//${new URL(proxy.url).host}"`);

    fake.privateText(ADMIN, '张掖中学是试点吗');
    const [reply] = await fake.waitForSent(1, ADMIN, 10_000);
    expect(String(reply?.text)).toContain('张掖中学');
    fake.privateText(ADMIN, '/export');
    await fake.waitFor((calls) => calls.some((c) => c.method === 'sendDocument'), 10_000);

    const methods = new Set(fake.calls.map((c) => c.method));
    for (const m of ['getMe', 'setMyCommands', 'getUpdates', 'sendMessage', 'sendDocument'])
      expect(methods).toContain(m);
    // Every connection the fake accepted was a tunnel the proxy opened to it.
    const target = new URL(fake.url).host;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((t) => t === target)).toBe(true);
    expect(fake.connections).toBe(proxy.tunnels.length);
  });
});
