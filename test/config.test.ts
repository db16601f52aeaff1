import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, PROJECT_ROOT, parseConfig } from '../src/config.js';

describe('config', () => {
  it('has sensible defaults with an empty environment', () => {
    const c = parseConfig({});
    expect(c.botToken).toBeUndefined();
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.telegramApiRoot).toBe('https://api.telegram.org');
    expect(c.databasePath).toMatch(/data[/\\]bot\.db$/);
    expect(c.adminUserIds).toEqual([]);
    expect(c.port).toBe(8080);
    expect(c.busyTimeoutMs).toBe(5000);
    expect(c.heartbeatMs).toBe(30_000);
    expect(c.telegramRetryBaseMs).toBe(500);
  });

  it('parses every setting', () => {
    const c = parseConfig({
      BOT_TOKEN: '123456789:AAHk4xTestTokenForTheLocalFake_0123',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/',
      ADMIN_USER_IDS: '11, 22 33',
      BOT_TIMEZONE: 'UTC',
      WEBHOOK_URL: 'https://bot.example.org/tg',
      WEBHOOK_SECRET: 's3cret_token',
      PORT: '9090',
      LOG_LEVEL: 'debug',
      DATABASE_BUSY_TIMEOUT_MS: '1000',
      INSTANCE_HEARTBEAT_SECONDS: '3',
      TELEGRAM_RETRY_BASE_MS: '100',
    });
    expect(c.telegramApiRoot).toBe('http://127.0.0.1:9000');
    expect(c.adminUserIds).toEqual([11, 22, 33]);
    expect(c).toMatchObject({
      timeZone: 'UTC',
      port: 9090,
      logLevel: 'debug',
      webhookSecret: 's3cret_token',
      busyTimeoutMs: 1000,
      heartbeatMs: 3000,
      telegramRetryBaseMs: 100,
    });
  });

  it('reports every problem at once', () => {
    try {
      parseConfig({
        NODE_ENV: 'production',
        ADMIN_USER_IDS: 'abc',
        BOT_TIMEZONE: 'Mars/Olympus',
        TELEGRAM_PROXY: 'ftp://proxy.example:21',
        PORT: '99999',
        WEBHOOK_URL: 'https://bot.example.org/tg',
        DATABASE_BUSY_TIMEOUT_MS: '0',
        INSTANCE_HEARTBEAT_SECONDS: '90',
        TELEGRAM_RETRY_BASE_MS: '1',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of [
        'BOT_TOKEN',
        'ADMIN_USER_IDS',
        'BOT_TIMEZONE',
        'TELEGRAM_PROXY',
        'PORT',
        'WEBHOOK_SECRET',
        'DATABASE_BUSY_TIMEOUT_MS',
        'INSTANCE_HEARTBEAT_SECONDS',
        'TELEGRAM_RETRY_BASE_MS',
      ])
        expect(problems).toContain(name);
    }
  });

  it('takes the time zone from BOT_TIMEZONE only: the process TZ changes nothing', () => {
    expect(parseConfig({ TZ: 'UTC' }).timeZone).toBe('Asia/Shanghai');
    expect(parseConfig({ TZ: 'UTC', BOT_TIMEZONE: 'Asia/Urumqi' }).timeZone).toBe('Asia/Urumqi');
  });

  it('takes the proxy from TELEGRAM_PROXY, else HTTPS_PROXY', () => {
    expect(parseConfig({}).telegramProxy).toBeUndefined();
    expect(parseConfig({ HTTPS_PROXY: 'http://10.0.0.1:3128' }).telegramProxy).toBe('http://10.0.0.1:3128');
    expect(
      parseConfig({ HTTPS_PROXY: 'http://10.0.0.1:3128', TELEGRAM_PROXY: 'socks5://127.0.0.1:1080' })
        .telegramProxy,
    ).toBe('socks5://127.0.0.1:1080');
  });

  it('reads a relative DATABASE_PATH against the project folder, wherever the process starts', () => {
    expect(parseConfig({ DATABASE_PATH: 'data/other.db' }).databasePath).toBe(
      join(PROJECT_ROOT, 'data', 'other.db'),
    );
    expect(parseConfig({ DATABASE_PATH: '/var/lib/kczm/bot.db' }).databasePath).toBe('/var/lib/kczm/bot.db');
  });
});
