/**
 * Runs a FakeBotApi in its own process:
 *
 *   npx tsx test/support/fake-bot-api-server.ts ['{"limits":{"perChatPerSecond":1}}']
 *
 * The optional argument is FakeBotApiOptions as JSON. Prints one JSON line
 * `{"url": "...", "token": "...", "botUsername": "..."}` to stdout once listening, and exits on
 * SIGTERM / SIGINT. Each further stdin line `{"cmd": "<method>", "args": [...]}` calls one of the
 * fake's helpers (privateText, groupText, callbackQuery, …, stats) and prints
 * `{"ok": true, "result": ...}` or `{"ok": false, "error": "..."}` as one line.
 */
import { createInterface } from 'node:readline';
import { type FakeBotApiOptions, startFakeBotApi } from './fake-bot-api.js';

const COMMANDS = new Set([
  'pushUpdate',
  'privateText',
  'groupText',
  'callbackQuery',
  'inlineQuery',
  'myChatMember',
  'migrateMessage',
  'setChatMember',
  'blockChat',
  'unblockChat',
  'failNext',
  'sent',
  'deliveredTexts',
  'duplicateTexts',
  'stats',
  'reset',
]);

const options = process.argv[2] ? (JSON.parse(process.argv[2]) as FakeBotApiOptions) : {};
const fake = await startFakeBotApi(options);
process.stdout.write(
  `${JSON.stringify({ url: fake.url, token: fake.token, botUsername: fake.botUser.username })}\n`,
);

const print = (value: unknown): void => {
  const json = JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Map ? Object.fromEntries(v) : Buffer.isBuffer(v) ? `<${v.length} bytes>` : v,
  );
  process.stdout.write(`${json}\n`);
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (!line.trim()) return;
  try {
    const { cmd, args = [] } = JSON.parse(line) as { cmd: string; args?: unknown[] };
    if (!COMMANDS.has(cmd)) throw new Error(`unknown command ${cmd}`);
    const fn = (fake as unknown as Record<string, (...a: unknown[]) => unknown>)[cmd]!;
    print({ ok: true, result: fn.apply(fake, args) ?? null });
  } catch (error) {
    print({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});

const stop = (): void => {
  lines.close();
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
