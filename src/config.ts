import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { validate } from 'node-cron';
import * as z from 'zod';

/**
 * The only reader of process.env. Parses every setting with zod and reports all problems at
 * once; see .env.example for what each one means.
 */

/** The project folder (the parent of src/ or dist/): .env, data/ and a relative DATABASE_PATH are read from here. */
export const PROJECT_ROOT = join(import.meta.dirname, '..');

/**
 * Whether `tz` names a time zone. Canonical names are looked up in ICU's list (~3 ms); only an
 * alias (UTC, PRC, Asia/Chongqing) pays for building a formatter (~20 ms and ~8 MB of ICU data
 * at start-up, which the first reminder tick then needs anyway, but after polling has started).
 */
function isTimeZone(tz: string): boolean {
  if (Intl.supportedValuesOf('timeZone').includes(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const schema = z.object({
  NODE_ENV: z.preprocess(
    blankToUndefined,
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA... (the token @BotFather gives)')
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(blankToUndefined, z.url().default('https://api.telegram.org')),
  TELEGRAM_PROXY: z.preprocess(
    blankToUndefined,
    z
      .url({
        protocol: /^(https?|socks5h?|socks4a?|socks)$/,
        error: 'must be an http://, https:// or socks5:// URL',
      })
      .optional(),
  ),
  DATABASE_PATH: z.preprocess(blankToUndefined, z.string().default(join(PROJECT_ROOT, 'data', 'bot.db'))),
  ADMIN_USER_IDS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('')
      .transform((s, ctx) => {
        const ids = s
          .split(/[,\s]+/)
          .filter(Boolean)
          .map(Number);
        if (ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
          ctx.addIssue({ code: 'custom', message: 'must be comma-separated positive Telegram user ids' });
          return z.NEVER;
        }
        return ids;
      }),
  ),
  // The bot's time zone. Never the process TZ: servers and containers often set TZ=UTC.
  BOT_TIMEZONE: z.preprocess(
    blankToUndefined,
    z.string().default('Asia/Shanghai').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  ),
  WEBHOOK_URL: z.preprocess(blankToUndefined, z.url({ protocol: /^https?$/ }).optional()),
  WEBHOOK_SECRET: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'may only contain A-Z, a-z, 0-9, _ and - (1-256 characters)')
      .optional(),
  ),
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(8080)),
  TELEGRAM_TIMEOUT_SECONDS: z.preprocess(blankToUndefined, z.coerce.number().min(1).max(300).default(15)),
  // First wait before a failed Bot API call is tried again; it doubles with each attempt.
  TELEGRAM_RETRY_BASE_MS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(10).max(60_000).default(500),
  ),
  TELEGRAM_CONFLICT_RETRY_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(0).max(3600).default(120),
  ),
  // How long one statement waits for another program's write lock (it blocks while it waits).
  DATABASE_BUSY_TIMEOUT_MS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(100).max(60_000).default(5000),
  ),
  // How often the instance lock is renewed; it goes stale after 90 s, so at most 60.
  INSTANCE_HEARTBEAT_SECONDS: z.preprocess(
    blankToUndefined,
    z.coerce.number().int().min(1).max(60).default(30),
  ),
  REMINDER_CRON: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('* * * * *')
      .refine(
        (expr) => validate(expr),
        'must be a cron expression (5 fields, or 6 with seconds), e.g. * * * * *',
      ),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

/** Rules that involve several settings; checked on the raw values so they are reported alongside the rest. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const set = (name: string) => Boolean(env[name]?.trim());
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !set('BOT_TOKEN'))
    problems.push('BOT_TOKEN is required when NODE_ENV=production');
  if (set('WEBHOOK_URL') && !set('WEBHOOK_SECRET'))
    problems.push('WEBHOOK_SECRET is required when WEBHOOK_URL is set');
  return problems;
}

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly botToken: string | undefined;
  readonly telegramApiRoot: string;
  /** Every Bot API request goes through this proxy (TELEGRAM_PROXY, else HTTPS_PROXY). */
  readonly telegramProxy: string | undefined;
  readonly databasePath: string;
  readonly adminUserIds: readonly number[];
  readonly timeZone: string;
  readonly webhookUrl: string | undefined;
  readonly webhookSecret: string | undefined;
  /** HTTP port (GET /healthz in both modes, the webhook in webhook mode); 0 picks a free one. */
  readonly port: number;
  /** Deadline of one Bot API request (getUpdates: the long poll plus this), in ms. */
  readonly telegramTimeoutMs: number;
  /**
   * First wait before a failed send is tried again (doubling per attempt, with jitter); polling
   * and getMe restarts wait twice as long. In ms.
   */
  readonly telegramRetryBaseMs: number;
  /** How long getUpdates' 409 Conflict is retried before the process exits, in ms. */
  readonly conflictRetryMs: number;
  /** How long a statement waits for another connection's write lock (SQLite busy_timeout), in ms. */
  readonly busyTimeoutMs: number;
  /** How often the instance lock's heartbeat is written, in ms. */
  readonly heartbeatMs: number;
  /** When reminder ticks run (node-cron syntax, in timeZone); every minute by default. */
  readonly reminderCron: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly dataDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment object; throws ConfigError listing every problem. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // HTTPS_PROXY (or https_proxy) is the conventional fallback when TELEGRAM_PROXY is not set.
  const proxy = env.TELEGRAM_PROXY?.trim() || env.HTTPS_PROXY?.trim() || env.https_proxy?.trim();
  const parsed = schema.safeParse({ ...env, TELEGRAM_PROXY: proxy });
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...crossFieldProblems(env),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const c = parsed.data;
  return {
    nodeEnv: c.NODE_ENV,
    botToken: c.BOT_TOKEN,
    telegramApiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
    telegramProxy: c.TELEGRAM_PROXY,
    databasePath:
      c.DATABASE_PATH === ':memory:' || isAbsolute(c.DATABASE_PATH)
        ? c.DATABASE_PATH
        : resolve(PROJECT_ROOT, c.DATABASE_PATH),
    adminUserIds: c.ADMIN_USER_IDS,
    timeZone: c.BOT_TIMEZONE,
    webhookUrl: c.WEBHOOK_URL,
    webhookSecret: c.WEBHOOK_SECRET,
    port: c.PORT,
    telegramTimeoutMs: c.TELEGRAM_TIMEOUT_SECONDS * 1000,
    telegramRetryBaseMs: c.TELEGRAM_RETRY_BASE_MS,
    conflictRetryMs: c.TELEGRAM_CONFLICT_RETRY_SECONDS * 1000,
    busyTimeoutMs: c.DATABASE_BUSY_TIMEOUT_MS,
    heartbeatMs: c.INSTANCE_HEARTBEAT_SECONDS * 1000,
    reminderCron: c.REMINDER_CRON,
    logLevel: c.LOG_LEVEL,
    dataDir: join(PROJECT_ROOT, 'data'),
  };
}

/** The process environment (this module is its only reader); entry points hand it on. */
export function processEnvironment(): Record<string, string | undefined> {
  return process.env;
}

/**
 * Parses `env` (process.env by default) over the settings in the project's .env file, if there
 * is one: a variable set in the environment wins over the file.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const envFile = join(PROJECT_ROOT, '.env');
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return parseConfig({ ...fromFile, ...env });
}
