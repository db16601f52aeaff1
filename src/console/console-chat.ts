import type { Telegraf } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import type { Notifier, OutgoingMessage, SendOutcome } from '../app/notifier.js';
import { systemClock } from '../clock.js';
import { inputLines } from './line-reader.js';

/**
 * The offline console is the bot: each input line becomes a Telegram update for the same telegraf
 * bot (commands, free text, candidate buttons by number), and every Bot API call the bot makes is
 * served here in-process and rendered to the terminal. Nothing goes over the network.
 */

/** The console's own bot identity (handleUpdate needs one; getMe is never called). */
export const CONSOLE_BOT: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: '试点名单助手',
  username: 'kczm_console_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: true,
} as UserFromGetMe;

interface Button {
  readonly text: string;
  readonly data?: string;
  readonly url?: string;
}

interface Keyboard {
  readonly inline_keyboard?: readonly (readonly { text: string; callback_data?: string; url?: string }[])[];
}

/** Serves Bot API calls in-process: messages and keyboards are written to the output. */
export class ConsoleTransport {
  private nextMessageId = 1;
  /** The buttons of the latest message that had any, numbered from 1. */
  buttons: { messageId: number; text: string; list: Button[] } | null = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly botInfo: UserFromGetMe = CONSOLE_BOT,
  ) {}

  readonly callApi = async (method: string, payload: Record<string, unknown>): Promise<unknown> => {
    switch (method) {
      case 'getMe':
        return this.botInfo;
      case 'sendMessage':
        return this.show(String(payload.text ?? ''), payload.reply_markup as Keyboard | undefined, payload);
      case 'editMessageText':
        return this.show(
          `（更新）${String(payload.text ?? '')}`,
          payload.reply_markup as Keyboard | undefined,
          payload,
        );
      case 'editMessageReplyMarkup': {
        const markup = payload.reply_markup as Keyboard | undefined;
        if (!markup?.inline_keyboard?.length) this.buttons = null;
        else this.renderButtons(Number(payload.message_id ?? 0), '', markup);
        return true;
      }
      case 'answerCallbackQuery':
        if (payload.text) this.write(`〔提示〕${String(payload.text)}\n`);
        return true;
      case 'sendDocument': {
        const doc = payload.document as { filename?: string } | string | undefined;
        const name = typeof doc === 'object' && doc?.filename ? doc.filename : '文件';
        this.write(`〔文件〕${name}${payload.caption ? `：${String(payload.caption)}` : ''}\n`);
        return this.message(payload, '');
      }
      case 'answerInlineQuery': {
        const results = (payload.results as { title?: string }[] | undefined) ?? [];
        this.write(`${results.map((r, i) => `${i + 1}. ${r.title ?? ''}`).join('\n')}\n`);
        return true;
      }
      case 'getChat':
        return { id: payload.chat_id, type: 'private' };
      case 'getChatMember':
        return { status: 'member', user: { id: payload.user_id, is_bot: false, first_name: '用户' } };
      case 'getChatAdministrators':
        return [];
      default:
        return true;
    }
  };

  private show(text: string, markup: Keyboard | undefined, payload: Record<string, unknown>) {
    this.write(`${text}\n`);
    const message = this.message(payload, text);
    if (markup?.inline_keyboard?.length) this.renderButtons(message.message_id, text, markup);
    return message;
  }

  private renderButtons(messageId: number, text: string, markup: Keyboard): void {
    const list: Button[] = (markup.inline_keyboard ?? [])
      .flat()
      .map((b) => ({ text: b.text, data: b.callback_data, url: b.url }));
    this.buttons = { messageId, text, list };
    const lines = list.map((b, i) => `  [${i + 1}] ${b.text}${b.url ? ` → ${b.url}` : ''}`);
    this.write(`${lines.join('\n')}\n  （发送编号即点按钮）\n`);
  }

  private message(payload: Record<string, unknown>, text: string) {
    const id = typeof payload.message_id === 'number' ? payload.message_id : this.nextMessageId++;
    return {
      message_id: id,
      date: Math.floor(systemClock.now() / 1000),
      chat: { id: Number(payload.chat_id), type: 'private' },
      from: this.botInfo,
      text,
    };
  }
}

/** Messages the app sends on its own (broadcasts, reminders): shown, never delivered. */
export class ConsoleNotifier implements Notifier {
  private nextId = 1;

  constructor(private readonly write: (text: string) => void) {}

  async enqueue(msg: OutgoingMessage): Promise<SendOutcome> {
    this.write(`〔发往 ${msg.chatId}〕${msg.text}\n`);
    return { ok: true, messageId: this.nextId++ };
  }
}

/** Builds updates as Telegram would for one private chat. */
class Updates {
  private updateId = 1;
  private messageId = 100_000;

  constructor(private readonly userId: number) {}

  private get user() {
    return { id: this.userId, is_bot: false, first_name: '控制台', username: 'console_user' };
  }

  text(text: string): Update {
    const command = /^\/[a-zA-Z0-9_]+(@\w+)?/.exec(text);
    return {
      update_id: this.updateId++,
      message: {
        message_id: this.messageId++,
        date: Math.floor(systemClock.now() / 1000),
        chat: { id: this.userId, type: 'private', first_name: '控制台' },
        from: this.user,
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      },
    } as Update;
  }

  press(data: string, messageId: number, messageText: string): Update {
    return {
      update_id: this.updateId++,
      callback_query: {
        id: String(this.updateId),
        from: this.user,
        chat_instance: 'console',
        data,
        message: {
          message_id: messageId,
          date: Math.floor(systemClock.now() / 1000),
          chat: { id: this.userId, type: 'private', first_name: '控制台' },
          text: messageText,
        },
      },
    } as Update;
  }
}

export interface ConsoleOptions {
  /** The bot, built with `callApi: transport.callApi`. */
  readonly bot: Telegraf;
  readonly transport: ConsoleTransport;
  /** Telegram user id the console chats as (an admin id lets coordinators try their commands). */
  readonly userId: number;
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
  /** Resolves when the bot has handled every update given to it (its handlers run in the background). */
  readonly settled?: () => Promise<void>;
}

/**
 * Reads one message per line until end of input and feeds it to the bot as an update; a bare
 * number presses that button of the latest keyboard; a line ending in \ continues on the next.
 * Returns the number of updates handled.
 */
export async function runConsoleChat(opts: ConsoleOptions): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
  const updates = new Updates(opts.userId);
  if (interactive)
    output.write('请输入问题或命令（例如：民主西路小学是试点吗、/units 兰州、/help），Ctrl-D 退出。\n> ');
  let count = 0;
  let pending = '';
  for await (const line of inputLines(input)) {
    // A line ending in \ continues the message on the next line (/newdeadline takes several).
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)}\n`;
      continue;
    }
    const text = (pending + line).trim();
    pending = '';
    if (text) {
      const buttons = opts.transport.buttons;
      const n = /^\d{1,2}$/.test(text) ? Number(text) : 0;
      const button = buttons && n >= 1 ? buttons.list[n - 1] : undefined;
      if (button?.data && buttons) {
        await opts.bot.handleUpdate(updates.press(button.data, buttons.messageId, buttons.text));
      } else if (button?.url) {
        output.write(`${button.url}\n`);
      } else {
        await opts.bot.handleUpdate(updates.text(text));
      }
      await opts.settled?.();
      output.write('\n');
      count++;
    }
    if (interactive) output.write('> ');
  }
  return count;
}
