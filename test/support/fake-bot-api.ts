/**
 * A local fake of the Telegram Bot API for integration tests and benchmarks.
 *
 * It speaks HTTP on 127.0.0.1 (random port) exactly the way telegraf expects: point
 * `new Telegraf(token, { telegram: { apiRoot: fake.url } })` at it. Requests may be POST with a
 * JSON, x-www-form-urlencoded or multipart/form-data body, or GET with a query string. Every
 * answer is `application/json` shaped like the real API (`{ok:true,result}` or
 * `{ok:false,error_code,description,parameters?}`) with the HTTP status equal to `error_code`.
 *
 * Besides answering, the fake records every call, lets tests queue incoming updates (served by
 * `getUpdates` long polling), validates like Telegram does (text length, parse_mode markup,
 * callback_data size, …), injects faults on demand and can enforce Telegram's flood limits.
 *
 * Only `node:http` is used; nothing leaves 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Chat, ChatMember, Message, Update, User, UserFromGetMe } from 'telegraf/types';
import {
  EntityParseError,
  type FakeEntity,
  isUploadedFile,
  parseFormatted,
  parseMultipart,
  type UploadedFile,
} from './fake-bot-api-parsers.js';

export type { FakeEntity, UploadedFile } from './fake-bot-api-parsers.js';

import { specProblem } from './bot-api-spec.js';

// ---------------------------------------------------------------------------------------------
// Public types

/** A chat id as the bot may pass it: a number, or an `@username` string (unknown to the fake). */
export type ChatId = number | string;

/** Flood limits to enforce on sendMessage / sendDocument / copyMessage. Fractions are allowed. */
export interface FakeBotApiLimits {
  /** Messages per second to one chat (Telegram: about 1). */
  perChatPerSecond?: number;
  /** Messages per minute to one group (chat id < 0; Telegram: 20). */
  perGroupPerMinute?: number;
  /** Messages per second over all chats (Telegram: 30). */
  globalPerSecond?: number;
}

export interface FakeBotApiOptions {
  /** Token the bot must use; default `'123456:TEST'`. Other tokens get 401. */
  token?: string;
  /** Username of the bot in getMe; default `'kczm_test_bot'`. */
  botUsername?: string;
  /** Id of the bot in getMe; default: the number before the colon of the token. */
  botId?: number;
  /** When set, flood limits are enforced with 429 answers like Telegram. */
  limits?: FakeBotApiLimits;
  /** Cap on stored call records and delivery records (oldest dropped first); default 100 000. */
  maxRecords?: number;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP; the URL becomes https://. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** A fault the fake answers with instead of doing the call. */
export type Fault =
  /** 429 Too Many Requests with `parameters.retry_after = seconds`. */
  | { kind: 'retry_after'; seconds: number }
  /** 500 Internal Server Error (default) or 502 Bad Gateway. */
  | { kind: 'server_error'; code?: 500 | 502 }
  /** 403; description defaults to 'Forbidden: bot was kicked from the group chat'. */
  | { kind: 'forbidden'; description?: string }
  /** 400 'Bad Request: chat not found'. */
  | { kind: 'chat_not_found' }
  /** 400 'Bad Request: group chat was upgraded to a supergroup chat' with `parameters.migrate_to_chat_id`. */
  | { kind: 'migrate'; toChatId: number }
  /** The socket is destroyed without an answer (the client sees a network error). */
  | { kind: 'drop' }
  /** An HTML error page (as a reverse proxy answers), with this HTTP status (default 502). */
  | { kind: 'html'; status?: number }
  /** 400 with this description, e.g. "Bad Request: can't parse entities" (the message itself is refused). */
  | { kind: 'bad_request'; description: string }
  /** 401 Unauthorized (the token was revoked or rotated). */
  | { kind: 'unauthorized' }
  /** 409 Conflict (another getUpdates poller, or a webhook is set). */
  | { kind: 'conflict' }
  /** The request is never answered (the client must give up by itself); released on close. */
  | { kind: 'hang' };

/** `parameters` of an error answer. */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

/** The JSON body of an answer, exactly as sent. */
export type ApiResponse =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

/** Parsed request parameters (query string and body merged; JSON-typed fields decoded). */
export type Params = Record<string, unknown>;

/** One recorded API call. */
export interface RecordedCall {
  /** Canonical method name (e.g. `sendMessage` even if the bot wrote `sendmessage`). */
  method: string;
  params: Params;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** HTTP status sent; 0 if no answer was sent (a `drop` fault, or the client went away). */
  status: number;
  /** The JSON body sent, or null when none was sent. */
  response: ApiResponse | null;
}

/** Parameters of a successful sendMessage / sendDocument as recorded. */
export interface SentParams extends Params {
  chat_id: ChatId;
  text?: string;
  caption?: string;
  parse_mode?: string;
  /** The uploaded file (multipart) or a file_id / URL string. */
  document?: UploadedFile | string;
  reply_markup?: unknown;
  message_thread_id?: number;
}

export interface FakeBotApiStats {
  /** Requests answered or dropped (all methods). */
  calls: number;
  /** Successful sendMessage / sendDocument / copyMessage calls. */
  sendsOk: number;
  /** 429 answers (flood limits and injected `retry_after` faults). */
  tooManyRequests: number;
  /** Answers with ok:false (any status) plus dropped requests. */
  errors: number;
  /** Delivered messages (sendMessage / sendDocument / copyMessage) per chat id. */
  deliveredPerChat: Map<ChatId, number>;
}

/** Membership statuses accepted by {@link FakeBotApi.setChatMember}. */
export type ChatMemberStatus = ChatMember['status'];

/** Options of {@link FakeBotApi.groupText}. */
export interface GroupTextOptions {
  /** Make the message a reply to the bot's last message in the chat (or a synthetic one). */
  replyToBot?: boolean;
  /** Forum topic id: sets message_thread_id and is_topic_message (and makes the chat a forum). */
  threadId?: number;
  /** Send on behalf of a chat (anonymous admin if it is the group itself, else a linked channel). */
  senderChat?: { id: number; type: string };
}

// ---------------------------------------------------------------------------------------------
// Internals

/** An error answer raised by a method handler. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

/** Methods the fake implements, by canonical name (Telegram matches method names case-insensitively). */
const METHODS = [
  'getMe',
  'logOut',
  'close',
  'getUpdates',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'setMyCommands',
  'getMyCommands',
  'deleteMyCommands',
  'sendMessage',
  'sendDocument',
  'copyMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'deleteMessage',
  'answerCallbackQuery',
  'answerInlineQuery',
  'getChat',
  'getChatMember',
  'getChatAdministrators',
  'getChatMemberCount',
  'leaveChat',
  'sendChatAction',
] as const;
type Method = (typeof METHODS)[number];
const METHOD_BY_LOWER = new Map<string, Method>(METHODS.map((m) => [m.toLowerCase(), m]));

/** Methods whose `chat_id` is subject to blocks, migrations and the bot's membership. */
const CHAT_METHODS = new Set<Method>([
  'sendMessage',
  'sendDocument',
  'copyMessage',
  'editMessageText',
  'editMessageReplyMarkup',
  'deleteMessage',
  'getChat',
  'getChatMember',
  'getChatAdministrators',
  'getChatMemberCount',
  'leaveChat',
  'sendChatAction',
]);

/** Fields whose values are JSON when sent as strings (query string, form or multipart). */
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'allowed_updates',
  'results',
  'commands',
  'scope',
  'link_preview_options',
  'reply_parameters',
  'button',
]);
const INT_FIELDS = new Set([
  'chat_id',
  'from_chat_id',
  'message_id',
  'user_id',
  'offset',
  'limit',
  'timeout',
  'message_thread_id',
  'reply_to_message_id',
  'cache_time',
  'max_connections',
]);
const BOOL_FIELDS = new Set([
  'disable_notification',
  'protect_content',
  'allow_sending_without_reply',
  'disable_web_page_preview',
  'disable_content_type_detection',
  'show_alert',
  'is_personal',
  'drop_pending_updates',
  'show_caption_above_media',
]);

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/** Button fields that make an inline keyboard button do something (a bare text button is refused). */
const INLINE_BUTTON_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const GROUP_ANONYMOUS_BOT: User = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
};
const CHANNEL_BOT: User = { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' };

type AnyChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;
/** A message as stored by the fake (the shape returned to the bot). */
type StoredMessage = Record<string, unknown> & {
  message_id: number;
  chat: AnyChat;
  date: number;
  from?: User;
  text?: string;
  caption?: string;
};

interface PendingFault {
  method: string;
  fault: Fault;
  chatId: ChatId | undefined;
  remaining: number;
}

interface Delivery {
  chatId: ChatId;
  method: string;
  text: string | undefined;
  messageId: number;
  at: number;
}

interface HeldPoll {
  limit: number;
  finish: (result: Update[] | ApiError) => void;
}

interface Waiter {
  check: () => void;
  fail: (error: Error) => void;
}

/** Chat type inferred from the id like Telegram ids look: >0 private, ≤ -10^12 supergroup, else group. */
export function chatTypeOf(chatId: number): 'private' | 'group' | 'supergroup' {
  if (chatId > 0) return 'private';
  return chatId <= -1_000_000_000_000 ? 'supergroup' : 'group';
}

/** Number of UTF-16 code units, which is how Telegram counts message length. */
export function utf16Length(text: string): number {
  return text.length;
}

function toInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function toStr(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function sameChat(a: unknown, b: ChatId): boolean {
  return a !== undefined && a !== null && String(a) === String(b);
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Decodes JSON-typed fields and numeric/boolean fields that arrived as strings. */
function coerceParams(raw: Record<string, unknown>): Params {
  const params: Params = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') {
      params[key] = value;
    } else if (JSON_FIELDS.has(key)) {
      try {
        params[key] = JSON.parse(value);
      } catch {
        params[key] = value;
      }
    } else if (INT_FIELDS.has(key) && /^-?\d+$/.test(value.trim())) {
      params[key] = Number(value.trim());
    } else if (BOOL_FIELDS.has(key) && (value === 'true' || value === 'false')) {
      params[key] = value === 'true';
    } else {
      params[key] = value;
    }
  }
  return params;
}

/** A short one-line description of a call, for timeout messages. */
function describeCall(call: RecordedCall): string {
  const params = JSON.stringify(call.params, (_key, value: unknown) =>
    isUploadedFile(value) ? `<file ${value.filename}, ${value.size} bytes>` : value,
  );
  const clipped = params.length > 160 ? `${params.slice(0, 157)}...` : params;
  const outcome =
    call.response && !call.response.ok
      ? ` ${call.response.description}`
      : call.status === 0
        ? ' (no answer)'
        : '';
  return `${call.method} ${call.status}${outcome} ${clipped}`;
}

// ---------------------------------------------------------------------------------------------
// The fake

/**
 * The fake Bot API server. Create it with {@link startFakeBotApi} (or `new FakeBotApi()` then
 * `await start()`), use {@link FakeBotApi.url} as telegraf's `apiRoot`, and `await close()` at the end.
 */
export class FakeBotApi {
  readonly token: string;
  /** The bot as getMe returns it. */
  readonly botUser: UserFromGetMe;
  readonly limits: FakeBotApiLimits | undefined;

  private readonly maxRecords: number;
  private server: Server | undefined;
  private baseUrl: string | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  private readonly sockets = new Set<Socket>();
  /** performance.now() when each method was first requested (a held long poll is recorded only when answered). */
  readonly arrivals = new Map<string, number>();
  /** TCP connections accepted since start (a proxy test compares it with the proxy's count). */
  connections = 0;
  private readonly tls: FakeBotApiOptions['tls'];
  private readonly inflight = new Set<ServerResponse>();

  private records: RecordedCall[] = [];
  private deliveries: Delivery[] = [];
  private counters = { calls: 0, sendsOk: 0, tooManyRequests: 0, errors: 0 };
  private deliveredPerChat = new Map<ChatId, number>();
  /** Successful sendMessage / sendDocument calls, in total ('*') and per String(chat_id). */
  private sentCounts = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();

  private queue: Update[] = [];
  private nextUpdateId = 1;
  private heldPoll: HeldPoll | undefined;
  /** How many getUpdates requests have been held open (long polls) so far. */
  private held = 0;
  private flushScheduled = false;
  private webhookUrl = '';

  private nextMessageId = 1;
  private nextFileId = 1;
  private nextQueryId = 1;
  private readonly messages = new Map<string, StoredMessage>();
  /** Id of the bot's latest message per `chatId` and per `chatId/threadId`. */
  private readonly lastBotMessageIds = new Map<string, number>();
  private readonly openQueries = new Set<string>();
  private readonly commands = new Map<string, unknown[]>();
  private readonly users = new Map<number, Partial<User>>();
  private readonly chatInfo = new Map<number, { title?: string; username?: string; is_forum?: boolean }>();
  private readonly members = new Map<string, ChatMemberStatus>();
  private readonly migrated = new Map<number, number>();

  private faults: PendingFault[] = [];
  /** Calls refused because they do not conform to the Bot API spec (kept across reset). */
  private readonly violations: { method: string; problem: string }[] = [];
  /** Releases of requests held by a 'hang' fault. */
  private readonly hanging = new Set<() => void>();
  private readonly blocks = new Map<string, Fault>();
  private readonly windows = new Map<string, number[]>();

  constructor(options: FakeBotApiOptions = {}) {
    this.token = options.token ?? '123456:TEST';
    const idFromToken = Number(this.token.split(':')[0]);
    const botId =
      options.botId ?? (Number.isSafeInteger(idFromToken) && idFromToken > 0 ? idFromToken : 123456);
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: 'KCZM Test Bot',
      username: options.botUsername ?? 'kczm_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
    };
    this.limits = options.limits;
    this.maxRecords = Math.max(1, options.maxRecords ?? 100_000);
    this.tls = options.tls;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Starts listening on 127.0.0.1 with a random port. Resolves once {@link url} is usable. */
  async start(): Promise<void> {
    if (this.server) return;
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        // Handler bugs must not hang the client: answer 500 and keep going.
        this.reply(res, 500, {
          ok: false,
          error_code: 500,
          description: `Internal Server Error: ${String(error)}`,
        });
      });
    };
    const server: Server = this.tls ? createTlsServer(this.tls, listener) : createServer(listener);
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  /** Base URL, e.g. `http://127.0.0.1:40123`; use it as telegraf's `apiRoot`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('FakeBotApi is not started; call start() first');
    return this.baseUrl;
  }

  /** How many getUpdates long polls have been held open so far (a test can wait for its own to arrive). */
  get pollsHeld(): number {
    return this.held;
  }

  /**
   * Stops the server: answers a held long poll with an empty result, lets in-flight answers
   * flush (at most 200 ms), destroys every socket and rejects pending `waitFor`s. Idempotent.
   */
  close(): Promise<void> {
    this.closed ??= this.doClose();
    return this.closed;
  }

  private async doClose(): Promise<void> {
    this.closing = true;
    this.heldPoll?.finish([]);
    for (const release of this.hanging) release();
    this.hanging.clear();
    for (const waiter of [...this.waiters]) waiter.fail(new Error('FakeBotApi was closed while waiting'));
    const server = this.server;
    if (!server) return;
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const pending = [...this.inflight].map(
      (res) => new Promise<void>((resolve) => res.once('close', () => resolve())),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 200);
      }),
    ]);
    clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await serverClosed;
  }

  // ---- recording ----------------------------------------------------------------------------

  /** All recorded calls, oldest first (at most `maxRecords`; older ones are dropped). */
  get calls(): readonly RecordedCall[] {
    return this.records;
  }

  /** Recorded calls of one method (canonical name, e.g. 'sendMessage'). */
  callsOf(method: string): RecordedCall[] {
    return this.records.filter((call) => call.method === method);
  }

  /** Parameters of successful sendMessage / sendDocument calls, optionally for one chat, oldest first. */
  sent(chatId?: ChatId): SentParams[] {
    const out: SentParams[] = [];
    for (const call of this.records) {
      if (call.status !== 200 || (call.method !== 'sendMessage' && call.method !== 'sendDocument')) continue;
      if (chatId !== undefined && !sameChat(call.params.chat_id, chatId)) continue;
      out.push(call.params as SentParams);
    }
    return out;
  }

  /**
   * Texts delivered to a chat in order: sendMessage `text` as the bot sent it (markup included),
   * sendDocument `caption`, copyMessage the copied text/caption (or the new caption). Deliveries
   * without any text are skipped.
   */
  deliveredTexts(chatId: ChatId): string[] {
    const out: string[] = [];
    for (const d of this.deliveries) {
      if (d.text !== undefined && sameChat(d.chatId, chatId)) out.push(d.text);
    }
    return out;
  }

  /** Texts delivered to the chat more than once (each listed once), for duplicate-delivery checks. */
  duplicateTexts(chatId: ChatId): string[] {
    const seen = new Map<string, number>();
    for (const text of this.deliveredTexts(chatId)) seen.set(text, (seen.get(text) ?? 0) + 1);
    return [...seen].filter(([, count]) => count > 1).map(([text]) => text);
  }

  /** Counters since start or the last {@link reset}; not affected by the record cap. */
  stats(): FakeBotApiStats {
    return { ...this.counters, deliveredPerChat: new Map(this.deliveredPerChat) };
  }

  /**
   * Clears call and delivery records, counters, pending `failNext` faults and flood-limit
   * windows. Queued updates, stored messages, blocks and chat/member state are kept.
   */
  reset(): void {
    this.records = [];
    this.deliveries = [];
    this.counters = { calls: 0, sendsOk: 0, tooManyRequests: 0, errors: 0 };
    this.deliveredPerChat = new Map();
    this.sentCounts = new Map();
    this.faults = [];
    this.windows.clear();
    this.notify();
  }

  /**
   * Resolves once `predicate(calls)` is true (checked now, after every recorded call and every
   * 10 ms). Rejects after `timeoutMs` with a message listing the last recorded calls.
   */
  waitFor(predicate: (calls: readonly RecordedCall[]) => boolean, timeoutMs = 5_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (error?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(interval);
        this.waiters.delete(waiter);
        if (error) reject(error);
        else resolve();
      };
      const check = (): void => {
        try {
          if (predicate(this.records)) finish();
        } catch (error) {
          finish(error instanceof Error ? error : new Error(String(error)));
        }
      };
      const waiter: Waiter = { check, fail: finish };
      const timer = setTimeout(() => {
        const recent = this.records.slice(-15).map((call) => `  ${describeCall(call)}`);
        finish(
          new Error(
            `FakeBotApi.waitFor timed out after ${timeoutMs} ms; ${this.records.length} calls recorded` +
              (recent.length ? `, the last ${recent.length}:\n${recent.join('\n')}` : ''),
          ),
        );
      }, timeoutMs);
      const interval = setInterval(check, 10);
      this.waiters.add(waiter);
      check();
    });
  }

  /**
   * Waits until at least `count` sendMessage / sendDocument calls succeeded since start or
   * {@link reset} (to `chatId` if given); resolves with {@link sent}(chatId).
   */
  async waitForSent(count: number, chatId?: ChatId, timeoutMs = 5_000): Promise<SentParams[]> {
    const key = chatId === undefined ? '*' : String(chatId);
    try {
      await this.waitFor(() => (this.sentCounts.get(key) ?? 0) >= count, timeoutMs);
    } catch (error) {
      const where = chatId === undefined ? '' : ` to chat ${chatId}`;
      const got = this.sentCounts.get(key) ?? 0;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`waitForSent: expected ${count} messages${where}, got ${got}. ${reason}`);
    }
    return this.sent(chatId);
  }

  private record(call: RecordedCall): void {
    this.records.push(call);
    if (call.status === 200 && (call.method === 'sendMessage' || call.method === 'sendDocument')) {
      for (const key of ['*', String(call.params.chat_id)])
        this.sentCounts.set(key, (this.sentCounts.get(key) ?? 0) + 1);
    }
    if (this.records.length > this.maxRecords) this.records.splice(0, Math.ceil(this.maxRecords / 10));
    this.counters.calls++;
    if (call.status === 429) this.counters.tooManyRequests++;
    if (call.status === 0 || (call.response && !call.response.ok)) this.counters.errors++;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  // ---- fault injection ------------------------------------------------------------------------

  /**
   * Makes the next `times` (default 1) calls of `method` (canonical name, or '*' for any method)
   * fail with `fault`, optionally only calls whose `chat_id` is `chatId`. Faults queue in order.
   */
  failNext(method: string, fault: Fault, opts: { chatId?: ChatId; times?: number } = {}): void {
    this.faults.push({ method, fault, chatId: opts.chatId, remaining: Math.max(1, opts.times ?? 1) });
  }

  /** Every call with this `chat_id` (sends, edits, getChat, …) fails with `fault` until unblocked. */
  blockChat(chatId: ChatId, fault: Fault): void {
    this.blocks.set(String(chatId), fault);
  }

  /** Removes a {@link blockChat} block. */
  unblockChat(chatId: ChatId): void {
    this.blocks.delete(String(chatId));
  }

  // ---- state -----------------------------------------------------------------------------------

  /**
   * Sets what getChatMember returns for (chatId, userId); default 'member'. Setting the bot's own
   * status to 'left' or 'kicked' makes calls to that chat fail with 403 like Telegram.
   */
  setChatMember(chatId: number, userId: number, status: ChatMemberStatus): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  /** Overrides fields of the user objects the fake generates (default first_name `User<id>`). */
  setUser(userId: number, info: Partial<Omit<User, 'id' | 'is_bot'>>): void {
    this.users.set(userId, { ...this.users.get(userId), ...info });
  }

  /** Overrides the title / username / is_forum of a group chat the fake generates. */
  setChat(chatId: number, info: { title?: string; username?: string; is_forum?: boolean }): void {
    this.chatInfo.set(chatId, { ...this.chatInfo.get(chatId), ...info });
  }

  /** Every call refused so far for not conforming to the Bot API spec (see bot-api-spec.ts). */
  specViolations(): readonly { method: string; problem: string }[] {
    return this.violations;
  }

  /** Updates queued and not yet confirmed by a getUpdates offset. */
  pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  /** The last message id the fake issued (incoming or sent). */
  get lastMessageId(): number {
    return this.nextMessageId - 1;
  }

  // ---- update injection ------------------------------------------------------------------------

  /**
   * Queues an update for getUpdates, assigning the next update_id if missing (explicit ids must
   * increase). Messages in it become known to the fake (so they can be copied, or edited if the
   * bot wrote them). Returns the queued update.
   */
  pushUpdate<U extends object>(update: U & { update_id?: number }): U & { update_id: number } {
    const id = update.update_id ?? this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, id + 1);
    const queued = { ...update, update_id: id } as U & { update_id: number };
    const u = queued as Record<string, unknown>;
    for (const key of ['message', 'edited_message', 'channel_post']) {
      if (u[key] && typeof u[key] === 'object') this.rememberMessage(u[key] as StoredMessage);
    }
    const query = u.callback_query as { id?: string; message?: StoredMessage } | undefined;
    if (query?.id) this.openQueries.add(query.id);
    if (query?.message?.chat) this.rememberMessage(query.message);
    const inline = u.inline_query as { id?: string } | undefined;
    if (inline?.id) this.openQueries.add(inline.id);
    this.queue.push(queued as unknown as Update);
    this.scheduleFlush();
    return queued;
  }

  /** Queues a text message from a user in their private chat with the bot. */
  privateText(fromUserId: number, text: string): Update.MessageUpdate<Message.TextMessage> {
    const message = {
      message_id: this.nextMessageId++,
      from: this.userObject(fromUserId),
      chat: this.chatObject(fromUserId) as Chat.PrivateChat,
      date: nowSeconds(),
      text,
      ...this.commandEntities(text),
    };
    return this.pushUpdate({ message }) as Update.MessageUpdate<Message.TextMessage>;
  }

  /** Queues a text message in a group or supergroup (chat id < 0). */
  groupText(
    chatId: number,
    fromUserId: number,
    text: string,
    opts: GroupTextOptions = {},
  ): Update.MessageUpdate<Message.TextMessage> {
    if (opts.threadId !== undefined && chatTypeOf(chatId) === 'supergroup')
      this.setChat(chatId, { is_forum: true });
    const chat = this.chatObject(chatId);
    const message: Record<string, unknown> = {
      message_id: this.nextMessageId++,
      from: this.userObject(fromUserId),
      chat,
      date: nowSeconds(),
    };
    if (opts.senderChat) {
      const { id, type } = opts.senderChat;
      message.sender_chat = { id, type, title: this.chatInfo.get(id)?.title ?? `Chat ${id}` };
      message.from = id === chatId ? GROUP_ANONYMOUS_BOT : CHANNEL_BOT;
    }
    if (opts.threadId !== undefined) {
      message.message_thread_id = opts.threadId;
      message.is_topic_message = true;
    }
    if (opts.replyToBot) {
      message.reply_to_message =
        this.lastBotMessage(chatId, opts.threadId) ?? this.syntheticBotMessage(chatId, opts.threadId);
    }
    message.text = text;
    Object.assign(message, this.commandEntities(text));
    return this.pushUpdate({ message }) as unknown as Update.MessageUpdate<Message.TextMessage>;
  }

  /**
   * Queues a callback query from a button on a bot message in `chatId`: message `messageId` if
   * given (a synthetic bot message with that id if unknown), else the bot's last message there.
   */
  callbackQuery(
    chatId: number,
    fromUserId: number,
    data: string,
    messageId?: number,
  ): Update.CallbackQueryUpdate {
    let message: StoredMessage | undefined;
    if (messageId !== undefined) {
      message =
        this.messages.get(`${chatId}:${messageId}`) ?? this.syntheticBotMessage(chatId, undefined, messageId);
    } else {
      message = this.lastBotMessage(chatId) ?? this.syntheticBotMessage(chatId);
    }
    const callback_query = {
      id: String(this.nextQueryId++),
      from: this.userObject(fromUserId),
      chat_instance: String(Math.abs(chatId) * 7 + 1),
      data,
      message,
    };
    return this.pushUpdate({ callback_query }) as unknown as Update.CallbackQueryUpdate;
  }

  /** Queues an inline query typed by a user. */
  inlineQuery(fromUserId: number, query: string): Update.InlineQueryUpdate {
    const inline_query = {
      id: String(this.nextQueryId++),
      from: this.userObject(fromUserId),
      query,
      offset: '',
      chat_type: 'sender' as const,
    };
    return this.pushUpdate({ inline_query });
  }

  /**
   * Queues a my_chat_member update: the bot's status in `chatId` changed to `status` by
   * `byUserId`. The fake adopts the new status: after 'left' / 'kicked' calls to that chat get
   * 403 ('bot was kicked from the group chat', 'bot was blocked by the user', …) until the bot
   * is 'member' / 'administrator' again.
   */
  myChatMember(
    chatId: number,
    status: 'member' | 'administrator' | 'left' | 'kicked',
    byUserId: number,
  ): Update.MyChatMemberUpdate {
    const key = `${chatId}:${this.botUser.id}`;
    const oldStatus =
      this.members.get(key) ?? (status === 'member' || status === 'administrator' ? 'left' : 'member');
    this.members.set(key, status);
    const my_chat_member = {
      chat: this.chatObject(chatId),
      from: this.userObject(byUserId),
      date: nowSeconds(),
      old_chat_member: this.memberObject(this.botUser, oldStatus),
      new_chat_member: this.memberObject(this.botUser, status),
    };
    return this.pushUpdate({ my_chat_member }) as unknown as Update.MyChatMemberUpdate;
  }

  /**
   * Queues the service message Telegram posts in a group upgraded to a supergroup
   * (`migrate_to_chat_id`). From then on calls to `oldChatId` fail with the migrate error
   * (`parameters.migrate_to_chat_id = newChatId`), like Telegram.
   */
  migrateMessage(
    oldChatId: number,
    newChatId: number,
    byUserId = 1,
  ): Update.MessageUpdate<Message.MigrateToChatIdMessage> {
    const message = {
      message_id: this.nextMessageId++,
      from: this.userObject(byUserId),
      chat: this.chatObject(oldChatId),
      date: nowSeconds(),
      migrate_to_chat_id: newChatId,
    };
    const update = this.pushUpdate({ message });
    this.migrated.set(oldChatId, newChatId);
    const botStatus = this.members.get(`${oldChatId}:${this.botUser.id}`);
    if (botStatus) this.members.set(`${newChatId}:${this.botUser.id}`, botStatus);
    return update as unknown as Update.MessageUpdate<Message.MigrateToChatIdMessage>;
  }

  // ---- object builders -------------------------------------------------------------------------

  private userObject(id: number): User {
    if (id === this.botUser.id) {
      const { id: botId, is_bot, first_name, username } = this.botUser;
      return { id: botId, is_bot, first_name, username };
    }
    return { id, is_bot: false, first_name: `User${id}`, username: `user${id}`, ...this.users.get(id) };
  }

  private chatObject(chatId: number): AnyChat {
    const type = chatTypeOf(chatId);
    if (type === 'private') {
      const user = this.userObject(chatId);
      const chat: Chat.PrivateChat = { id: chatId, type, first_name: user.first_name };
      if (user.last_name) chat.last_name = user.last_name;
      if (user.username) chat.username = user.username;
      return chat;
    }
    const info = this.chatInfo.get(chatId);
    const title = info?.title ?? `Test group ${chatId}`;
    if (type === 'group') return { id: chatId, type, title };
    const chat: Chat.SupergroupChat = { id: chatId, type, title };
    if (info?.username) chat.username = info.username;
    if (info?.is_forum) chat.is_forum = true;
    return chat;
  }

  private memberObject(user: User, status: ChatMemberStatus): ChatMember {
    switch (status) {
      case 'administrator':
        return {
          user,
          status,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
        } as ChatMember;
      case 'creator':
        return { user, status, is_anonymous: false };
      case 'restricted':
        return {
          user,
          status,
          is_member: true,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_change_info: false,
          can_invite_users: false,
          can_pin_messages: false,
          can_manage_topics: false,
          until_date: 0,
        };
      case 'kicked':
        return { user, status, until_date: 0 };
      default:
        return { user, status } as ChatMember;
    }
  }

  private commandEntities(text: string): { entities?: FakeEntity[] } {
    const match = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?/.exec(text);
    return match ? { entities: [{ type: 'bot_command', offset: 0, length: match[0].length }] } : {};
  }

  private lastBotMessage(chatId: number, threadId?: number): StoredMessage | undefined {
    const id = this.lastBotMessageIds.get(threadId === undefined ? `${chatId}` : `${chatId}/${threadId}`);
    return id === undefined ? undefined : this.messages.get(`${chatId}:${id}`);
  }

  private syntheticBotMessage(chatId: number, threadId?: number, messageId?: number): StoredMessage {
    const message: StoredMessage = {
      message_id: messageId ?? this.nextMessageId++,
      from: this.userObject(this.botUser.id),
      chat: this.chatObject(chatId),
      date: nowSeconds(),
      text: '(earlier bot message)',
    };
    if (threadId !== undefined) {
      message.message_thread_id = threadId;
      message.is_topic_message = true;
    }
    this.rememberMessage(message);
    return message;
  }

  private rememberMessage(message: StoredMessage): void {
    if (typeof message.message_id !== 'number' || typeof message.chat?.id !== 'number') return;
    const key = `${message.chat.id}:${message.message_id}`;
    this.messages.delete(key);
    this.messages.set(key, message);
    if (message.from?.id === this.botUser.id) {
      const keys = [`${message.chat.id}`];
      if (typeof message.message_thread_id === 'number')
        keys.push(`${message.chat.id}/${message.message_thread_id}`);
      for (const k of keys) {
        if ((this.lastBotMessageIds.get(k) ?? 0) < message.message_id)
          this.lastBotMessageIds.set(k, message.message_id);
      }
    }
    if (this.messages.size > this.maxRecords) {
      const oldest = this.messages.keys().next().value;
      if (oldest !== undefined) this.messages.delete(oldest);
    }
  }

  // ---- long polling ----------------------------------------------------------------------------

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Deferred so that updates pushed in one synchronous burst arrive in one batch.
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.heldPoll && this.queue.length > 0)
        this.heldPoll.finish(this.queue.slice(0, this.heldPoll.limit));
    });
  }

  private getUpdates(p: Params, signal: AbortSignal): Update[] | Promise<Update[]> {
    if (this.webhookUrl) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = toInt(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, toInt(p.limit) ?? 100));
    const timeout = Math.max(0, Number(p.timeout ?? 0) || 0);
    if (offset > 0) {
      this.queue = this.queue.filter((u) => u.update_id >= offset);
    } else if (offset < 0) {
      this.queue = this.queue.slice(offset);
    }
    this.heldPoll?.finish(
      new ApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    const ready = this.queue.slice(0, limit);
    if (ready.length > 0 || timeout === 0 || this.closing) return ready;
    return new Promise<Update[]>((resolve, reject) => {
      const finish = (result: Update[] | ApiError): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (this.heldPoll === poll) this.heldPoll = undefined;
        if (result instanceof ApiError) reject(result);
        else resolve(result);
      };
      const onAbort = (): void => finish([]);
      const timer = setTimeout(() => finish([]), timeout * 1000);
      const poll: HeldPoll = { limit, finish };
      this.heldPoll = poll;
      this.held++;
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private reply(res: ServerResponse, status: number, body: ApiResponse): void {
    if (res.headersSent || res.destroyed) return;
    const json = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) });
    res.end(json);
  }

  private async readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_BODY_BYTES) throw new ApiError(413, 'Request Entity Too Large');
      chunks.push(buffer);
    }
    return Buffer.concat(chunks);
  }

  private async readParams(req: IncomingMessage, url: URL): Promise<Params> {
    const raw: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const body = await this.readBody(req);
    if (body.length > 0) {
      const type = (req.headers['content-type'] ?? '').toLowerCase();
      if (type.startsWith('multipart/form-data')) {
        const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
        const value = boundary?.[1] ?? boundary?.[2];
        if (!value) throw badRequest('multipart boundary is missing');
        try {
          Object.assign(raw, parseMultipart(body, value));
        } catch {
          throw badRequest("can't parse multipart/form-data body");
        }
      } else if (type.startsWith('application/x-www-form-urlencoded')) {
        Object.assign(raw, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
      } else {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw badRequest("can't parse JSON object");
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw badRequest('JSON object expected');
        }
        Object.assign(raw, parsed);
      }
    }
    return coerceParams(raw);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    this.inflight.add(res);
    const aborter = new AbortController();
    res.on('close', () => {
      this.inflight.delete(res);
      if (!res.writableFinished) aborter.abort();
    });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/bot([^/]*)\/(?:test\/)?([^/]+)\/?$/.exec(url.pathname);
    let method = match ? decodeURIComponent(match[2]!) : url.pathname;
    if (!this.arrivals.has(method)) this.arrivals.set(method, performance.now());
    let params: Params = {};
    const answer = (status: number, response: ApiResponse | null): void => {
      if (response) this.reply(res, status, response);
      const answered = response !== null && !aborter.signal.aborted;
      this.record({
        method,
        params,
        at,
        status: answered ? status : 0,
        response: answered ? response : null,
      });
    };
    const fail = (error: ApiError): void => {
      const body: ApiResponse = { ok: false, error_code: error.code, description: error.description };
      if (error.parameters) body.parameters = error.parameters;
      answer(error.code, body);
    };
    try {
      params = await this.readParams(req, url);
    } catch (error) {
      if (error instanceof ApiError) {
        fail(error);
        if (error.code === 413) req.socket.destroy();
        return;
      }
      throw error;
    }
    if (!match) return fail(new ApiError(404, 'Not Found'));
    if (decodeURIComponent(match[1]!) !== this.token) return fail(new ApiError(401, 'Unauthorized'));
    const canonical = METHOD_BY_LOWER.get(method.toLowerCase());
    if (!canonical) return fail(new ApiError(404, 'Not Found: method not found'));
    method = canonical;
    if (typeof params.method === 'string' && params.method.toLowerCase() === method.toLowerCase()) {
      delete params.method; // telegraf repeats the method inside multipart bodies
    }
    try {
      const problem = specProblem(canonical, params);
      if (problem) {
        this.violations.push({ method: canonical, problem });
        return fail(badRequest(problem));
      }
      const fault = this.takeFault(canonical, params);
      if (fault?.kind === 'drop') {
        req.socket.destroy();
        answer(0, null);
        return;
      }
      if (fault?.kind === 'hang') {
        // Held until the client gives up (its socket closes) or the fake closes.
        await new Promise<void>((resolve) => {
          if (aborter.signal.aborted || this.closing) resolve();
          aborter.signal.addEventListener('abort', () => resolve(), { once: true });
          this.hanging.add(resolve);
        });
        if (!res.destroyed) res.destroy();
        answer(0, null);
        return;
      }
      if (fault?.kind === 'html') {
        const status = fault.status ?? 502;
        const page = `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
          res.end(page);
        }
        this.record({ method, params, at, status, response: null });
        return;
      }
      if (fault) throw this.faultError(fault);
      const result = await this.dispatch(canonical, params, aborter.signal);
      answer(200, { ok: true, result });
    } catch (error) {
      if (error instanceof ApiError) return fail(error);
      throw error;
    }
  }

  /** The fault for this call: a queued failNext, a chat block, a migration or a lost membership. */
  private takeFault(method: Method, params: Params): Fault | undefined {
    const chatId = params.chat_id;
    const index = this.faults.findIndex(
      (f) =>
        (f.method === '*' || f.method === method) && (f.chatId === undefined || sameChat(chatId, f.chatId)),
    );
    if (index >= 0) {
      const pending = this.faults[index]!;
      if (--pending.remaining <= 0) this.faults.splice(index, 1);
      return pending.fault;
    }
    if (!CHAT_METHODS.has(method) || chatId === undefined || chatId === null) return undefined;
    const blocked = this.blocks.get(String(chatId));
    if (blocked) return blocked;
    const id = toInt(chatId);
    if (id === undefined) return undefined;
    const migratedTo = this.migrated.get(id);
    if (migratedTo !== undefined) return { kind: 'migrate', toChatId: migratedTo };
    const status = this.members.get(`${id}:${this.botUser.id}`);
    if (status === 'kicked' || status === 'left') {
      const type = chatTypeOf(id);
      if (type === 'private')
        return { kind: 'forbidden', description: 'Forbidden: bot was blocked by the user' };
      const description =
        status === 'kicked'
          ? `Forbidden: bot was kicked from the ${type} chat`
          : `Forbidden: bot is not a member of the ${type} chat`;
      return { kind: 'forbidden', description };
    }
    return undefined;
  }

  private faultError(fault: Exclude<Fault, { kind: 'drop' | 'hang' | 'html' }>): ApiError {
    switch (fault.kind) {
      case 'retry_after': {
        const seconds = Math.max(1, Math.ceil(fault.seconds));
        return new ApiError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
      }
      case 'server_error':
        return fault.code === 502
          ? new ApiError(502, 'Bad Gateway')
          : new ApiError(500, 'Internal Server Error');
      case 'forbidden':
        return new ApiError(403, fault.description ?? 'Forbidden: bot was kicked from the group chat');
      case 'chat_not_found':
        return badRequest('chat not found');
      case 'migrate':
        return new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
          migrate_to_chat_id: fault.toChatId,
        });
      case 'unauthorized':
        return new ApiError(401, 'Unauthorized');
      case 'bad_request':
        return new ApiError(400, fault.description);
      case 'conflict':
        return new ApiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
    }
  }

  // ---- methods ---------------------------------------------------------------------------------

  private dispatch(method: Method, p: Params, signal: AbortSignal): unknown {
    switch (method) {
      case 'getMe':
        return this.botUser;
      case 'logOut':
      case 'close':
        return true;
      case 'getUpdates':
        return this.getUpdates(p, signal);
      case 'setWebhook':
        this.webhookUrl = toStr(p.url) ?? '';
        if (p.drop_pending_updates === true) this.queue = [];
        return true;
      case 'deleteWebhook':
        this.webhookUrl = '';
        if (p.drop_pending_updates === true) this.queue = [];
        return true;
      case 'getWebhookInfo':
        return {
          url: this.webhookUrl,
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
        };
      case 'setMyCommands':
        return this.setMyCommands(p);
      case 'getMyCommands':
        return this.commands.get(this.commandsKey(p)) ?? [];
      case 'deleteMyCommands':
        this.commands.delete(this.commandsKey(p));
        return true;
      case 'sendMessage':
        return this.sendMessage(p);
      case 'sendDocument':
        return this.sendDocument(p);
      case 'copyMessage':
        return this.copyMessage(p);
      case 'editMessageText':
        return this.editMessage(p, true);
      case 'editMessageReplyMarkup':
        return this.editMessage(p, false);
      case 'deleteMessage':
        return this.deleteMessage(p);
      case 'answerCallbackQuery':
        this.answerQuery(p.callback_query_id);
        return true;
      case 'answerInlineQuery':
        return this.answerInlineQuery(p);
      case 'getChat':
        return this.getChat(p);
      case 'getChatMember':
        return this.getChatMember(p);
      case 'getChatAdministrators':
        return this.getChatAdministrators(p);
      case 'getChatMemberCount':
        return chatTypeOf(this.requireChat(p)) === 'private' ? 2 : 10;
      case 'leaveChat': {
        const chatId = this.requireChat(p);
        this.members.set(`${chatId}:${this.botUser.id}`, 'left');
        return true;
      }
      case 'sendChatAction': {
        this.requireChat(p);
        if (!CHAT_ACTIONS.has(toStr(p.action) ?? '')) throw badRequest('wrong parameter action in request');
        return true;
      }
    }
  }

  /** The numeric chat_id of a call; 400 like Telegram if it is missing or not a known kind of id. */
  private requireChat(p: Params, field = 'chat_id'): number {
    const value = p[field];
    if (value === undefined || value === null || value === '') throw badRequest(`${field} is empty`);
    const id = toInt(value);
    if (id === undefined || id === 0) throw badRequest('chat not found');
    return id;
  }

  /** Parses text per parse_mode (or takes explicit entities); 400 "can't parse entities" on bad markup. */
  private format(raw: string, p: Params, entitiesField: string): { text: string; entities: unknown[] } {
    const parseMode = toStr(p.parse_mode);
    try {
      const parsed = parseFormatted(raw, parseMode);
      const explicit = p[entitiesField];
      if (!parseMode && Array.isArray(explicit)) return { text: parsed.text, entities: explicit };
      return parsed;
    } catch (error) {
      if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
      if (error instanceof Error && error.message === 'unsupported parse_mode')
        throw badRequest('unsupported parse_mode');
      throw error;
    }
  }

  /** Validates reply_markup like Telegram (inline keyboards: callback_data 1-64 bytes, no bare text buttons). */
  private validateReplyMarkup(markup: unknown): void {
    if (markup === undefined || markup === null) return;
    if (typeof markup !== 'object' || Array.isArray(markup)) {
      throw badRequest("can't parse reply keyboard markup JSON object");
    }
    const keyboard = (markup as Record<string, unknown>).inline_keyboard;
    if (keyboard === undefined) return;
    if (!Array.isArray(keyboard))
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of keyboard) {
      if (!Array.isArray(row))
        throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const button of row) {
        if (typeof button !== 'object' || button === null) {
          throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        }
        const b = button as Record<string, unknown>;
        if (typeof b.text !== 'string') {
          throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
        }
        if ('callback_data' in b) {
          const data = b.callback_data;
          if (typeof data !== 'string' || data === '' || Buffer.byteLength(data, 'utf8') > 64) {
            throw badRequest('BUTTON_DATA_INVALID');
          }
        } else if (!INLINE_BUTTON_ACTIONS.some((key) => key in b)) {
          throw badRequest(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
          );
        }
      }
    }
  }

  /** 429 if one more delivery to `chatId` now would exceed a configured limit. */
  private checkLimits(chatId: number, now: number): void {
    const limits = this.limits;
    if (!limits) return;
    let waitMs = 0;
    for (const [key, rate, periodMs] of this.limitWindows(chatId, limits)) {
      const { count, windowMs } = this.windowOf(rate, periodMs);
      const stamps = this.prunedWindow(key, windowMs, now);
      if (stamps.length >= count) waitMs = Math.max(waitMs, stamps[stamps.length - count]! + windowMs - now);
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    }
  }

  private limitWindows(chatId: number, limits: FakeBotApiLimits): [string, number, number][] {
    const out: [string, number, number][] = [];
    if (limits.perChatPerSecond && limits.perChatPerSecond > 0)
      out.push([`c:${chatId}`, limits.perChatPerSecond, 1000]);
    if (chatId < 0 && limits.perGroupPerMinute && limits.perGroupPerMinute > 0) {
      out.push([`g:${chatId}`, limits.perGroupPerMinute, 60_000]);
    }
    if (limits.globalPerSecond && limits.globalPerSecond > 0) out.push(['all', limits.globalPerSecond, 1000]);
    return out;
  }

  /** A rate of `rate` per `periodMs` as "at most `count` in any `windowMs`" (fractional rates allowed). */
  private windowOf(rate: number, periodMs: number): { count: number; windowMs: number } {
    const count = Math.max(1, Math.floor(rate));
    return { count, windowMs: (periodMs * count) / rate };
  }

  private prunedWindow(key: string, windowMs: number, now: number): number[] {
    const stamps = this.windows.get(key) ?? [];
    let drop = 0;
    while (drop < stamps.length && stamps[drop]! <= now - windowMs) drop++;
    if (drop > 0) stamps.splice(0, drop);
    if (stamps.length === 0) this.windows.delete(key);
    return stamps;
  }

  /** Books one delivery: flood windows, counters and the delivery log. */
  private deliver(
    chatId: number,
    method: string,
    text: string | undefined,
    messageId: number,
    now: number,
  ): void {
    if (this.limits) {
      for (const [key, rate, periodMs] of this.limitWindows(chatId, this.limits)) {
        const { windowMs } = this.windowOf(rate, periodMs);
        const stamps = this.prunedWindow(key, windowMs, now);
        stamps.push(now);
        this.windows.set(key, stamps);
      }
    }
    this.counters.sendsOk++;
    this.deliveredPerChat.set(chatId, (this.deliveredPerChat.get(chatId) ?? 0) + 1);
    this.deliveries.push({ chatId, method, text, messageId, at: now });
    if (this.deliveries.length > this.maxRecords) this.deliveries.splice(0, Math.ceil(this.maxRecords / 10));
  }

  private newMessage(chatId: number, p: Params): StoredMessage {
    const message: StoredMessage = {
      message_id: this.nextMessageId++,
      from: this.userObject(this.botUser.id),
      chat: this.chatObject(chatId),
      date: nowSeconds(),
    };
    const threadId = toInt(p.message_thread_id);
    if (threadId !== undefined) {
      message.message_thread_id = threadId;
      if (chatTypeOf(chatId) === 'supergroup') message.is_topic_message = true;
    }
    const replyTo = toInt(
      (p.reply_parameters as { message_id?: unknown } | undefined)?.message_id ?? p.reply_to_message_id,
    );
    const replied = replyTo === undefined ? undefined : this.messages.get(`${chatId}:${replyTo}`);
    if (replied) {
      const { reply_to_message: _nested, ...flat } = replied;
      message.reply_to_message = flat;
    }
    return message;
  }

  private sendMessage(p: Params): StoredMessage {
    const chatId = this.requireChat(p);
    const raw = toStr(p.text);
    if (!raw) throw badRequest('message text is empty');
    const { text, entities } = this.format(raw, p, 'entities');
    if (text.trim() === '') throw badRequest('message text is empty');
    if (utf16Length(text) > 4096) throw badRequest('message is too long');
    this.validateReplyMarkup(p.reply_markup);
    const now = Date.now();
    this.checkLimits(chatId, now);
    const message = this.newMessage(chatId, p);
    message.text = text;
    if (entities.length > 0) message.entities = entities;
    if (p.link_preview_options !== undefined) message.link_preview_options = p.link_preview_options;
    if (p.reply_markup !== undefined) message.reply_markup = p.reply_markup;
    this.rememberMessage(message);
    this.deliver(chatId, 'sendMessage', raw, message.message_id, now);
    return message;
  }

  /** Parses caption + caption_entities; 400 if the caption is too long. Undefined if there is none. */
  private parseCaption(p: Params): { raw: string; text: string; entities: unknown[] } | undefined {
    const raw = toStr(p.caption);
    if (!raw) return undefined;
    const { text, entities } = this.format(raw, p, 'caption_entities');
    if (utf16Length(text) > 1024) throw badRequest('message caption is too long');
    return { raw, text, entities };
  }

  private static applyCaption(
    message: StoredMessage,
    caption: { text: string; entities: unknown[] } | undefined,
  ): void {
    if (!caption) return;
    if (caption.text !== '') message.caption = caption.text;
    else delete message.caption;
    if (caption.entities.length > 0) message.caption_entities = caption.entities;
    else delete message.caption_entities;
  }

  private sendDocument(p: Params): StoredMessage {
    const chatId = this.requireChat(p);
    const document = p.document;
    let fileName: string;
    let size: number | undefined;
    let mimeType = 'application/octet-stream';
    if (isUploadedFile(document)) {
      if (document.size === 0) throw badRequest('file must be non-empty');
      fileName = document.filename;
      size = document.size;
      if (document.contentType !== 'application/octet-stream') mimeType = document.contentType;
    } else if (typeof document === 'string' && document !== '') {
      fileName = document.split(/[/?#]/).filter(Boolean).pop() ?? 'document';
    } else {
      throw badRequest('there is no document in the request');
    }
    const caption = this.parseCaption(p);
    this.validateReplyMarkup(p.reply_markup);
    const now = Date.now();
    this.checkLimits(chatId, now);
    const message = this.newMessage(chatId, p);
    FakeBotApi.applyCaption(message, caption);
    const fileNo = this.nextFileId++;
    const doc: Record<string, unknown> = {
      file_id: `BQACAgIAAxkBAAI${fileNo}`,
      file_unique_id: `AgAD${fileNo}`,
      file_name: fileName,
      mime_type: mimeType,
    };
    if (size !== undefined) doc.file_size = size;
    message.document = doc;
    if (p.reply_markup !== undefined) message.reply_markup = p.reply_markup;
    this.rememberMessage(message);
    this.deliver(chatId, 'sendDocument', caption?.raw, message.message_id, now);
    return message;
  }

  private copyMessage(p: Params): { message_id: number } {
    const chatId = this.requireChat(p);
    const fromChatId = this.requireChat(p, 'from_chat_id');
    const messageId = toInt(p.message_id);
    if (messageId === undefined) throw badRequest('message_id is empty');
    const source = this.messages.get(`${fromChatId}:${messageId}`);
    if (!source) throw badRequest('message to copy not found');
    const caption = this.parseCaption(p);
    this.validateReplyMarkup(p.reply_markup);
    const now = Date.now();
    this.checkLimits(chatId, now);
    const copy = this.newMessage(chatId, p);
    for (const key of ['text', 'entities', 'document', 'caption', 'caption_entities']) {
      if (source[key] !== undefined) copy[key] = source[key];
    }
    FakeBotApi.applyCaption(copy, caption);
    if (p.reply_markup !== undefined) copy.reply_markup = p.reply_markup;
    this.rememberMessage(copy);
    this.deliver(chatId, 'copyMessage', caption?.raw ?? source.text ?? source.caption, copy.message_id, now);
    return { message_id: copy.message_id };
  }

  /** editMessageText (withText) or editMessageReplyMarkup. Inline messages just return true. */
  private editMessage(p: Params, withText: boolean): StoredMessage | true {
    let text: string | undefined;
    let entities: unknown[] = [];
    if (withText) {
      const raw = toStr(p.text);
      if (!raw) throw badRequest('message text is empty');
      ({ text, entities } = this.format(raw, p, 'entities'));
      if (text.trim() === '') throw badRequest('message text is empty');
      if (utf16Length(text) > 4096) throw badRequest('message is too long');
    }
    this.validateReplyMarkup(p.reply_markup);
    if (p.inline_message_id !== undefined && p.chat_id === undefined) return true;
    const chatId = this.requireChat(p);
    const messageId = toInt(p.message_id);
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const key = `${chatId}:${messageId}`;
    const stored = this.messages.get(key);
    if (!stored) throw badRequest('message to edit not found');
    if (stored.from?.id !== this.botUser.id) throw badRequest("message can't be edited");
    const sameMarkup = JSON.stringify(stored.reply_markup ?? null) === JSON.stringify(p.reply_markup ?? null);
    const sameText =
      !withText ||
      (stored.text === text && JSON.stringify(stored.entities ?? []) === JSON.stringify(entities));
    if (sameText && sameMarkup) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const edited: StoredMessage = { ...stored, edit_date: nowSeconds() };
    if (withText) {
      edited.text = text;
      if (entities.length > 0) edited.entities = entities;
      else delete edited.entities;
    }
    // Like Telegram, an edit without reply_markup removes the inline keyboard.
    if (p.reply_markup !== undefined) edited.reply_markup = p.reply_markup;
    else delete edited.reply_markup;
    this.messages.set(key, edited);
    return edited;
  }

  private deleteMessage(p: Params): true {
    const chatId = this.requireChat(p);
    const key = `${chatId}:${toInt(p.message_id)}`;
    if (!this.messages.delete(key)) throw badRequest('message to delete not found');
    return true;
  }

  /** Each callback / inline query id the fake issued can be answered once. */
  private answerQuery(id: unknown): void {
    const key = toStr(id);
    if (!key || !this.openQueries.delete(key)) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
  }

  private answerInlineQuery(p: Params): true {
    const results = p.results;
    if (!Array.isArray(results)) throw badRequest("can't parse JSON encoded inline query results");
    if (results.length > 50) throw badRequest('RESULTS_TOO_MUCH');
    const ids = new Set<string>();
    for (const result of results as Record<string, unknown>[]) {
      const id = toStr(result?.id) ?? '';
      if (id === '' || Buffer.byteLength(id, 'utf8') > 64) throw badRequest('RESULT_ID_INVALID');
      if (ids.has(id)) throw badRequest('RESULT_ID_DUPLICATE');
      ids.add(id);
      this.validateReplyMarkup(result.reply_markup);
    }
    this.answerQuery(p.inline_query_id);
    return true;
  }

  private getChat(p: Params): Record<string, unknown> {
    const chatId = this.requireChat(p);
    return { ...this.chatObject(chatId), accent_color_id: 0, max_reaction_count: 11 };
  }

  private getChatMember(p: Params): ChatMember {
    const chatId = this.requireChat(p);
    const userId = toInt(p.user_id);
    if (userId === undefined) throw badRequest('user_id is empty');
    const status = this.members.get(`${chatId}:${userId}`) ?? 'member';
    return this.memberObject(this.userObject(userId), status);
  }

  private getChatAdministrators(p: Params): ChatMember[] {
    const chatId = this.requireChat(p);
    if (chatTypeOf(chatId) === 'private') throw badRequest('there are no administrators in the private chat');
    const admins: ChatMember[] = [];
    for (const [key, status] of this.members) {
      const [chat, user] = key.split(':');
      if (Number(chat) !== chatId || (status !== 'creator' && status !== 'administrator')) continue;
      admins.push(this.memberObject(this.userObject(Number(user)), status));
    }
    return admins;
  }

  private commandsKey(p: Params): string {
    const scope = p.scope && typeof p.scope === 'object' ? JSON.stringify(p.scope) : '{"type":"default"}';
    return `${scope}|${toStr(p.language_code) ?? ''}`;
  }

  private setMyCommands(p: Params): true {
    const commands = p.commands;
    if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
    if (commands.length > 100) throw badRequest('too many commands');
    for (const entry of commands as Record<string, unknown>[]) {
      const command = toStr(entry?.command) ?? '';
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest('BOT_COMMAND_INVALID');
      const description = toStr(entry?.description) ?? '';
      if (description.trim() === '' || description.length > 256)
        throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    this.commands.set(this.commandsKey(p), commands);
    return true;
  }
}

/** Creates a {@link FakeBotApi} and starts it; `await fake.close()` when done. */
export async function startFakeBotApi(options?: FakeBotApiOptions): Promise<FakeBotApi> {
  const fake = new FakeBotApi(options);
  await fake.start();
  return fake;
}
