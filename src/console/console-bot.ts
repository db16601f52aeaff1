import { createBot } from '../bot/create-bot.js';
import { HandlerPool } from '../bot/handler-pool.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Runtime } from '../runtime.js';
import { createServices } from '../services.js';
import { CONSOLE_BOT, ConsoleNotifier, ConsoleTransport, runConsoleChat } from './console-chat.js';

/** The user the console chats as when no admin is configured: an ordinary teacher. */
export const CONSOLE_USER = 10_000;

/**
 * Runs the offline console: the real bot (every feature, the same handlers as on Telegram) over an
 * in-process transport. Chats as the first ADMIN_USER_IDS entry when set, so coordinators can try
 * their commands too; otherwise as an ordinary user.
 */
export async function runConsoleBot(
  runtime: Runtime,
  config: Pick<Config, 'adminUserIds' | 'timeZone'>,
  logger: Logger,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const write = (text: string) => output.write(text);
  const transport = new ConsoleTransport(write);
  const services = createServices(runtime, config, new ConsoleNotifier(write), logger);
  // Handlers run off telegraf's loop; the console waits for each reply before reading on.
  const handlers = new HandlerPool();
  const bot = createBot({
    token: 'console',
    apiRoot: 'http://127.0.0.1:9',
    services,
    botInfo: CONSOLE_BOT,
    callApi: transport.callApi,
    handlers,
    // One person at a keyboard (or a piped file of questions) is not a flood.
    rateLimit: { limit: Number.MAX_SAFE_INTEGER },
  });
  const userId = config.adminUserIds[0] ?? CONSOLE_USER;
  return runConsoleChat({ bot, transport, userId, input, output, settled: () => handlers.idle() });
}
