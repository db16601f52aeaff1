import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

describe('config', () => {
  it('has sensible defaults with an empty environment', () => {
    const c = parseConfig({});
    expect(c.botToken).toBeUndefined();
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.telegramApiRoot).toBe('https://api.telegram.org');
    expect(c.databasePath).toMatch(/data[/\\]bot\.db$/);
    expect(c.adminUserIds).toEqual([]);
    expect(c.port).toBe(8080);
  });

  it('parses every setting', () => {
    const c = parseConfig({
      BOT_TOKEN: '123456789:AAHk4xTestTokenForTheLocalFake_0123',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/',
      ADMIN_USER_IDS: '11, 22 33',
      TZ: 'UTC',
      WEBHOOK_URL: 'https://bot.example.org/tg',
      WEBHOOK_SECRET: 's3cret_token',
      PORT: '9090',
      LOG_LEVEL: 'debug',
    });
    expect(c.telegramApiRoot).toBe('http://127.0.0.1:9000');
    expect(c.adminUserIds).toEqual([11, 22, 33]);
    expect(c).toMatchObject({
      timeZone: 'UTC',
      port: 9090,
      logLevel: 'debug',
      webhookSecret: 's3cret_token',
    });
  });

  it('reports every problem at once', () => {
    try {
      parseConfig({
        NODE_ENV: 'production',
        ADMIN_USER_IDS: 'abc',
        TZ: 'Mars/Olympus',
        PORT: '99999',
        WEBHOOK_URL: 'https://bot.example.org/tg',
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['BOT_TOKEN', 'ADMIN_USER_IDS', 'TZ', 'PORT', 'WEBHOOK_SECRET'])
        expect(problems).toContain(name);
    }
  });
});
