import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Input, Markup, Telegraf, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeBotApi, type FakeBotApiOptions, startFakeBotApi } from './fake-bot-api.js';
import { parseHtml, parseMarkdown, parseMarkdownV2, parseMultipart } from './fake-bot-api-parsers.js';

const USER = 4242;
const GROUP = -4001;
const SUPERGROUP = -1001234567890;

let fake: FakeBotApi;
let bot: Telegraf | undefined;
let launched: Promise<void> | undefined;

async function useFake(options?: FakeBotApiOptions): Promise<FakeBotApi> {
  await fake.close();
  fake = await startFakeBotApi(options);
  return fake;
}

function makeBot(token = fake.token): Telegraf {
  bot = new Telegraf(token, { telegram: { apiRoot: fake.url } });
  return bot;
}

/** Starts long polling without awaiting: telegraf's launch() only resolves once polling stops. */
function launch(b: Telegraf): void {
  launched = b.launch();
}

async function rejection(promise: Promise<unknown>): Promise<TelegramError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TelegramError);
  return error as TelegramError;
}

/** A raw HTTP call, to check the wire format without telegraf in between. */
async function raw(
  method: string,
  init?: RequestInit & { token?: string; query?: string },
): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const token = init?.token ?? fake.token;
  const res = await fetch(`${fake.url}/bot${token}/${method}${init?.query ? `?${init.query}` : ''}`, init);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

beforeEach(async () => {
  fake = await startFakeBotApi();
});

afterEach(async () => {
  if (bot && launched) {
    bot.stop('test end');
    await launched.catch(() => undefined);
  }
  bot = undefined;
  launched = undefined;
  await fake.close();
});

describe('FakeBotApi with telegraf', () => {
  it('answers getMe with the configured bot', async () => {
    const me = await makeBot().telegram.getMe();
    expect(me).toMatchObject({
      id: 123456,
      is_bot: true,
      username: 'kczm_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: true,
    });
    expect(fake.callsOf('getMe')).toHaveLength(1);
  });

  it('records sendMessage and answers with a Message', async () => {
    const tg = makeBot().telegram;
    const markup = { inline_keyboard: [[{ text: '是', callback_data: 'yes' }]] };
    const first = await tg.sendMessage(USER, '你好', { reply_markup: markup });
    const second = await tg.sendMessage(GROUP, 'hi group', { message_thread_id: 7 });
    const third = await tg.sendMessage(SUPERGROUP, 'hi super');
    expect(first).toMatchObject({ text: '你好', chat: { id: USER, type: 'private' }, reply_markup: markup });
    expect(first.from?.id).toBe(123456);
    expect(typeof first.date).toBe('number');
    expect(second.chat.type).toBe('group');
    expect(second.message_thread_id).toBe(7);
    expect(third.chat.type).toBe('supergroup');
    expect(second.message_id).toBeGreaterThan(first.message_id);
    expect(third.message_id).toBeGreaterThan(second.message_id);
    expect(fake.sent().map((p) => p.text)).toEqual(['你好', 'hi group', 'hi super']);
    expect(fake.sent(USER)).toHaveLength(1);
    expect(fake.sent(USER)[0]?.reply_markup).toEqual(markup);
    const call = fake.callsOf('sendMessage')[0]!;
    expect(call.status).toBe(200);
    expect(call.response).toMatchObject({ ok: true, result: { text: '你好' } });
    expect(call.at).toBeLessThanOrEqual(Date.now());
    expect(fake.stats()).toMatchObject({ sendsOk: 3, tooManyRequests: 0, errors: 0 });
    expect(fake.stats().deliveredPerChat.get(USER)).toBe(1);
  });

  it('rejects too long and empty texts like Telegram (UTF-16 length)', async () => {
    const tg = makeBot().telegram;
    const long = await rejection(tg.sendMessage(USER, 'x'.repeat(4097)));
    expect(long.code).toBe(400);
    expect(long.description).toBe('Bad Request: message is too long');
    // 2048 astral emoji are 4096 UTF-16 code units: fine; one more is too long.
    await expect(tg.sendMessage(USER, '😀'.repeat(2048))).resolves.toBeDefined();
    expect((await rejection(tg.sendMessage(USER, '😀'.repeat(2049)))).code).toBe(400);
    // The limit applies to the text after entity parsing.
    await expect(
      tg.sendMessage(USER, `<b>${'x'.repeat(4096)}</b>`, { parse_mode: 'HTML' }),
    ).resolves.toBeDefined();
    const empty = await rejection(tg.sendMessage(USER, ''));
    expect(empty.description).toBe('Bad Request: message text is empty');
    expect((await rejection(tg.sendMessage(USER, '<b> </b>', { parse_mode: 'HTML' }))).description).toBe(
      'Bad Request: message text is empty',
    );
    expect(fake.stats().errors).toBe(4);
  });

  it('validates HTML and MarkdownV2 markup', async () => {
    const tg = makeBot().telegram;
    const ok = await tg.sendMessage(USER, '<b>粗</b> &lt;3 <a href="https://example.org">链接</a>', {
      parse_mode: 'HTML',
    });
    expect(ok.text).toBe('粗 <3 链接');
    expect(ok.entities).toEqual([
      { type: 'bold', offset: 0, length: 1 },
      { type: 'text_link', offset: 5, length: 2, url: 'https://example.org' },
    ]);
    const unbalanced = await rejection(
      tg.sendMessage(USER, '<b>bold<i>both</b></i>', { parse_mode: 'HTML' }),
    );
    expect(unbalanced.description).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 14, expected "</i>", found "</b>"',
    );
    const unknown = await rejection(tg.sendMessage(USER, 'a<br>b', { parse_mode: 'HTML' }));
    expect(unknown.description).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1',
    );
    const unescaped = await rejection(tg.sendMessage(USER, '人数 < 5', { parse_mode: 'HTML' }));
    expect(unescaped.description).toMatch(
      /^Bad Request: can't parse entities: Unsupported start tag "" at byte offset 7$/,
    );
    const unclosed = await rejection(tg.sendMessage(USER, '<i>open', { parse_mode: 'HTML' }));
    expect(unclosed.description).toBe(
      'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "i"',
    );
    const md = await rejection(tg.sendMessage(USER, '共 3 所学校.', { parse_mode: 'MarkdownV2' }));
    expect(md.description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    const mdOk = await tg.sendMessage(USER, '*共* 3 所学校\\.', { parse_mode: 'MarkdownV2' });
    expect(mdOk.text).toBe('共 3 所学校.');
    const mode = await rejection(tg.sendMessage(USER, 'x', { parse_mode: 'Html5' as 'HTML' }));
    expect(mode.description).toBe('Bad Request: unsupported parse_mode');
  });

  it('rejects callback_data over 64 bytes and bare text buttons', async () => {
    const tg = makeBot().telegram;
    const data = '甘'.repeat(22); // 66 bytes in UTF-8
    const error = await rejection(
      tg.sendMessage(USER, 'pick', {
        reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: data }]] },
      }),
    );
    expect(error.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    await expect(
      tg.sendMessage(USER, 'pick', {
        reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'x'.repeat(64) }]] },
      }),
    ).resolves.toBeDefined();
    const bare = await rejection(
      tg.sendMessage(USER, 'pick', { reply_markup: { inline_keyboard: [[{ text: 'a' } as never]] } }),
    );
    expect(bare.description).toMatch(/Text buttons are unallowed/);
  });

  it('checks calls against the Bot API spec: unknown parameters and fields, types, UTF-8', async () => {
    const tg = makeBot().telegram;
    // telegraf's Markup.button.callback adds "hide": false, which the spec does not define.
    const hidden = await rejection(
      tg.sendMessage(USER, 'pick', Markup.inlineKeyboard([[Markup.button.callback('a', 'a')]])),
    );
    expect(hidden.description).toMatch(/unknown field "hide"/);
    const unknown = await rejection(
      tg.callApi('sendMessage', { chat_id: USER, text: 'x', colour: 'red' } as never),
    );
    expect(unknown.description).toMatch(/unknown parameter "colour"/);
    const wrongType = await rejection(tg.callApi('sendMessage', { chat_id: USER, text: 42 } as never));
    expect(wrongType.description).toMatch(/"text" must be of type String/);
    // Half an emoji, as `.slice` leaves it.
    const lone = await rejection(tg.sendMessage(USER, '截止 😀'.slice(0, 4)));
    expect(lone.description).toMatch(/UTF-8/);
    await expect(
      tg.sendMessage(USER, 'pick', {
        reply_markup: { inline_keyboard: [[{ text: 'a', callback_data: 'a' }]] },
      }),
    ).resolves.toBeDefined();
  });

  it('answers HTML error pages, 401, 409 and never-answered requests on demand', async () => {
    const tg = makeBot().telegram;
    fake.failNext('getMe', { kind: 'html', status: 404 });
    const html = (await tg.getMe().then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(html.name).toBe('FetchError');
    expect(html.message).toMatch(/invalid json response body/);
    fake.failNext('getMe', { kind: 'unauthorized' });
    expect((await rejection(tg.getMe())).code).toBe(401);
    fake.failNext('getUpdates', { kind: 'conflict' });
    expect((await rejection(tg.getUpdates(0, 1, 0, undefined))).code).toBe(409);
    fake.failNext('getMe', { kind: 'hang' });
    const controller = new AbortController();
    const pending = tg.callApi('getMe', {}, { signal: controller.signal } as never).then(
      () => 'answered',
      (e: unknown) => (e as Error).name,
    );
    const early = await Promise.race([
      pending,
      new Promise((r) => setTimeout(() => r('still waiting'), 300)),
    ]);
    expect(early).toBe('still waiting');
    controller.abort();
    expect(await pending).toBe('AbortError');
    await fake.waitFor((calls) => calls.some((c) => c.method === 'getMe' && c.status === 0));
  });

  it('injects a 429 with retry_after for the next call only', async () => {
    const tg = makeBot().telegram;
    fake.failNext('sendMessage', { kind: 'retry_after', seconds: 3 });
    const error = await rejection(tg.sendMessage(USER, 'a'));
    expect(error.code).toBe(429);
    expect(error.parameters?.retry_after).toBe(3);
    expect(error.description).toBe('Too Many Requests: retry after 3');
    await expect(tg.sendMessage(USER, 'b')).resolves.toMatchObject({ text: 'b' });
    expect(fake.stats().tooManyRequests).toBe(1);
    expect(fake.sent().map((p) => p.text)).toEqual(['b']);
  });

  it('matches failNext by chat and repeats it `times`', async () => {
    const tg = makeBot().telegram;
    fake.failNext('sendMessage', { kind: 'forbidden' }, { chatId: GROUP, times: 2 });
    await expect(tg.sendMessage(USER, 'private is fine')).resolves.toBeDefined();
    const first = await rejection(tg.sendMessage(GROUP, 'one'));
    expect(first.code).toBe(403);
    expect(first.description).toBe('Forbidden: bot was kicked from the group chat');
    expect((await rejection(tg.sendMessage(GROUP, 'two'))).code).toBe(403);
    await expect(tg.sendMessage(GROUP, 'three')).resolves.toBeDefined();
    fake.failNext('*', { kind: 'chat_not_found' });
    expect((await rejection(tg.getChat(GROUP))).description).toBe('Bad Request: chat not found');
  });

  it('carries migrate_to_chat_id in a migrate fault', async () => {
    const tg = makeBot().telegram;
    fake.failNext('sendMessage', { kind: 'migrate', toChatId: SUPERGROUP });
    const error = await rejection(tg.sendMessage(GROUP, 'x'));
    expect(error.code).toBe(400);
    expect(error.description).toBe('Bad Request: group chat was upgraded to a supergroup chat');
    expect(error.parameters?.migrate_to_chat_id).toBe(SUPERGROUP);
  });

  it('answers server errors and drops connections', async () => {
    const tg = makeBot().telegram;
    fake.failNext('sendMessage', { kind: 'server_error', code: 502 });
    expect((await rejection(tg.sendMessage(USER, 'x'))).code).toBe(502);
    fake.failNext('sendMessage', { kind: 'server_error' });
    expect((await rejection(tg.sendMessage(USER, 'x'))).code).toBe(500);
    fake.failNext('sendMessage', { kind: 'drop' });
    const dropped = await tg.sendMessage(USER, 'x').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(dropped?.name).toBe('FetchError');
    const last = fake.calls[fake.calls.length - 1]!;
    expect(last).toMatchObject({ method: 'sendMessage', status: 0, response: null });
    await expect(tg.sendMessage(USER, 'after')).resolves.toBeDefined();
  });

  it('keeps a chat blocked until unblocked', async () => {
    const tg = makeBot().telegram;
    fake.blockChat(GROUP, {
      kind: 'forbidden',
      description: 'Forbidden: bot is not a member of the group chat',
    });
    for (const text of ['a', 'b']) {
      expect((await rejection(tg.sendMessage(GROUP, text))).description).toBe(
        'Forbidden: bot is not a member of the group chat',
      );
    }
    await expect(tg.sendMessage(USER, 'other chats work')).resolves.toBeDefined();
    fake.unblockChat(GROUP);
    await expect(tg.sendMessage(GROUP, 'c')).resolves.toBeDefined();
  });

  it('enforces a per-chat limit of 1 message per second with 429s', async () => {
    await useFake({ limits: { perChatPerSecond: 1 } });
    const tg = makeBot().telegram;
    await tg.sendMessage(USER, 'first');
    const error = await rejection(tg.sendMessage(USER, 'second'));
    expect(error.code).toBe(429);
    expect(error.parameters?.retry_after).toBe(1);
    expect(error.description).toBe('Too Many Requests: retry after 1');
    await expect(tg.sendMessage(USER + 1, 'another chat')).resolves.toBeDefined();
    expect(fake.stats()).toMatchObject({ sendsOk: 2, tooManyRequests: 1 });
    expect(fake.deliveredTexts(USER)).toEqual(['first']);
  });

  it('enforces group-per-minute and global limits', async () => {
    await useFake({ limits: { perGroupPerMinute: 2, globalPerSecond: 3 } });
    const tg = makeBot().telegram;
    await tg.sendMessage(GROUP, '1');
    await tg.sendMessage(GROUP, '2');
    const group = await rejection(tg.sendMessage(GROUP, '3'));
    expect(group.parameters?.retry_after).toBeGreaterThanOrEqual(59);
    await tg.sendMessage(USER, 'p');
    const global = await rejection(tg.sendMessage(USER + 1, 'q'));
    expect(global.parameters?.retry_after).toBe(1);
  });

  it('rejects a wrong token with 401', async () => {
    const error = await rejection(makeBot('999:WRONG').telegram.getMe());
    expect(error.code).toBe(401);
    expect(error.description).toBe('Unauthorized');
  });

  it('uploads documents as multipart and records name, caption and bytes', async () => {
    const tg = makeBot().telegram;
    const content = Buffer.from('单位,县区\n兰州一中,城关区\n', 'utf8');
    const message = await tg.sendDocument(USER, Input.fromBuffer(content, '试点名单.csv'), {
      caption: '<b>名单</b>',
      parse_mode: 'HTML',
    });
    expect(message.document).toMatchObject({ file_name: '试点名单.csv', file_size: content.length });
    expect(message.caption).toBe('名单');
    const sent = fake.sent(USER)[0]!;
    expect(sent.caption).toBe('<b>名单</b>');
    const document = sent.document;
    if (typeof document !== 'object' || document === undefined) throw new Error('expected an uploaded file');
    expect(document.filename).toBe('试点名单.csv');
    expect(document.size).toBe(content.length);
    expect(document.content.equals(content)).toBe(true);
    expect(fake.deliveredTexts(USER)).toEqual(['<b>名单</b>']);
  });

  it('edits messages and refuses no-op edits', async () => {
    const tg = makeBot().telegram;
    const markup = { inline_keyboard: [[{ text: 'ok', callback_data: 'ok' }]] };
    const message = await tg.sendMessage(USER, 'v1', { reply_markup: markup });
    const edited = await tg.editMessageText(USER, message.message_id, undefined, 'v2', {
      reply_markup: markup,
    });
    expect(edited).toMatchObject({ text: 'v2', reply_markup: markup });
    const same = await rejection(
      tg.editMessageText(USER, message.message_id, undefined, 'v2', { reply_markup: markup }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    const markupOnly = await tg.editMessageReplyMarkup(USER, message.message_id, undefined, undefined);
    expect(markupOnly).not.toHaveProperty('reply_markup');
    const missing = await rejection(tg.editMessageText(USER, 999_999, undefined, 'x'));
    expect(missing.description).toBe('Bad Request: message to edit not found');
  });

  it('answers chat queries and commands', async () => {
    const tg = makeBot().telegram;
    fake.setChatMember(GROUP, USER, 'administrator');
    expect((await tg.getChatMember(GROUP, USER)).status).toBe('administrator');
    expect((await tg.getChatMember(GROUP, USER + 1)).status).toBe('member');
    expect((await tg.getChatAdministrators(GROUP)).map((m) => m.user.id)).toEqual([USER]);
    expect(await tg.getChat(SUPERGROUP)).toMatchObject({ id: SUPERGROUP, type: 'supergroup' });
    expect(await tg.sendChatAction(USER, 'typing')).toBe(true);
    const commands = [{ command: 'start', description: '开始' }];
    expect(await tg.setMyCommands(commands)).toBe(true);
    expect(await tg.getMyCommands()).toEqual(commands);
    expect((await rejection(tg.setMyCommands([{ command: 'Start', description: 'x' }]))).description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    );
    expect(await tg.deleteMyCommands()).toBe(true);
    expect(await tg.getMyCommands()).toEqual([]);
    expect(await tg.leaveChat(GROUP)).toBe(true);
    expect((await rejection(tg.sendMessage(GROUP, 'x'))).description).toBe(
      'Forbidden: bot is not a member of the group chat',
    );
  });
});

describe('FakeBotApi updates and long polling', () => {
  it('delivers a pushed private text to a launched bot and records its reply', async () => {
    const b = makeBot();
    b.on('text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    launch(b);
    const update = fake.privateText(USER, '兰州一中是试点吗');
    expect(update.update_id).toBe(1);
    const [reply] = await fake.waitForSent(1, USER);
    expect(reply?.text).toBe('echo: 兰州一中是试点吗');
    expect(fake.callsOf('deleteWebhook')).toHaveLength(1);
  });

  it('builds updates as Telegram sends them', async () => {
    const b = makeBot();
    const seen: string[] = [];
    b.command('start', (ctx) => ctx.reply(`start from ${ctx.chat.type}`));
    b.on('callback_query', async (ctx) => {
      seen.push(`cb:${'data' in ctx.callbackQuery ? ctx.callbackQuery.data : ''}`);
      await ctx.answerCbQuery('ok');
    });
    b.on('inline_query', (ctx) => ctx.answerInlineQuery([]));
    b.on('my_chat_member', (ctx) => {
      seen.push(`member:${ctx.myChatMember.new_chat_member.status}`);
    });
    b.on('message', (ctx) => {
      if ('migrate_to_chat_id' in ctx.message) seen.push(`migrate:${ctx.message.migrate_to_chat_id}`);
      else if ('text' in ctx.message)
        seen.push(`text:${ctx.message.text}:${ctx.message.message_thread_id ?? ''}`);
    });
    launch(b);

    const start = fake.groupText(GROUP, USER, '/start@kczm_test_bot hello');
    expect(start.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 20 }]);
    await fake.waitForSent(1, GROUP);
    expect(fake.sent(GROUP)[0]?.text).toBe('start from group');

    const topic = fake.groupText(SUPERGROUP, USER, 'in topic', { threadId: 5, replyToBot: true });
    expect(topic.message).toMatchObject({ message_thread_id: 5, is_topic_message: true });
    expect(topic.message.reply_to_message?.from?.id).toBe(fake.botUser.id);
    const anon = fake.groupText(GROUP, USER, 'anon', { senderChat: { id: GROUP, type: 'group' } });
    expect(anon.message.from?.username).toBe('GroupAnonymousBot');

    fake.callbackQuery(GROUP, USER, 'pick:1');
    fake.inlineQuery(USER, '兰州');
    fake.myChatMember(GROUP, 'kicked', USER);
    fake.migrateMessage(-4002, SUPERGROUP);
    await fake.waitFor(
      (calls) =>
        calls.some((c) => c.method === 'answerCallbackQuery' && c.status === 200) &&
        calls.some((c) => c.method === 'answerInlineQuery' && c.status === 200),
    );
    await fake.waitFor(() => seen.length >= 5);
    // telegraf handles one getUpdates batch concurrently, so compare without order.
    expect([...seen].sort()).toEqual(
      ['text:in topic:5', 'text:anon:', 'cb:pick:1', 'member:kicked', `migrate:${SUPERGROUP}`].sort(),
    );

    // The fake adopts the new states: kicked from GROUP, -4002 migrated.
    const tg = b.telegram;
    expect((await rejection(tg.sendMessage(GROUP, 'x'))).description).toBe(
      'Forbidden: bot was kicked from the group chat',
    );
    expect((await rejection(tg.sendMessage(-4002, 'x'))).parameters?.migrate_to_chat_id).toBe(SUPERGROUP);
    // A callback query can be answered only once.
    const again = await rejection(tg.answerCbQuery('1'));
    expect(again.description).toMatch(/query is too old/);
  });

  it('honours offset, limit and timeout of getUpdates', async () => {
    fake.privateText(1, 'a');
    fake.privateText(2, 'b');
    fake.privateText(3, 'c');
    const all = await raw('getUpdates', json({}));
    expect((all.body.result as { update_id: number }[]).map((u) => u.update_id)).toEqual([1, 2, 3]);
    const limited = await raw('getUpdates', json({ limit: 1 }));
    expect(limited.body.result).toHaveLength(1);
    const rest = await raw('getUpdates', json({ offset: 3 }));
    expect((rest.body.result as { update_id: number }[]).map((u) => u.update_id)).toEqual([3]);
    expect(fake.pendingUpdates()).toHaveLength(1);

    // Held until an update arrives.
    const t0 = Date.now();
    const held = raw('getUpdates', json({ offset: 4, timeout: 10 }));
    setTimeout(() => fake.privateText(4, 'late'), 50);
    const got = await held;
    expect((got.body.result as { update_id: number }[]).map((u) => u.update_id)).toEqual([4]);
    expect(Date.now() - t0).toBeLessThan(1000);

    // Held until the timeout when nothing arrives.
    const t1 = Date.now();
    const empty = await raw('getUpdates', json({ offset: 5, timeout: 1 }));
    expect(empty.body).toEqual({ ok: true, result: [] });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(900);
  });

  it('terminates a held getUpdates when another one arrives (409)', async () => {
    const first = raw('getUpdates', json({ timeout: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the fake hold it
    const second = raw('getUpdates', json({ timeout: 0 }));
    expect((await first).status).toBe(409);
    expect((await second).body).toEqual({ ok: true, result: [] });
  });

  it('closes within 1 s after bot.stop(), ending held polls', async () => {
    const b = makeBot();
    b.on('text', (ctx) => ctx.reply('pong'));
    launch(b);
    fake.privateText(USER, 'ping');
    await fake.waitForSent(1, USER);
    await fake.waitFor((calls) => calls.filter((c) => c.method === 'getUpdates').length >= 1);
    b.stop('done');
    await launched;
    launched = undefined;
    // A raw long poll is still held when close() starts: it must get an empty answer.
    const before = fake.pollsHeld;
    const held = raw('getUpdates', json({ offset: 100, timeout: 30 }));
    while (fake.pollsHeld === before) await new Promise((resolve) => setTimeout(resolve, 5));
    const t0 = Date.now();
    await fake.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await held).body).toEqual({ ok: true, result: [] });
  });

  it('rejects waitFor on timeout with the recent calls listed', async () => {
    await makeBot().telegram.sendMessage(USER, 'only this');
    await expect(fake.waitForSent(2, USER, 50)).rejects.toThrow(
      /expected 2 messages to chat 4242, got 1[\s\S]*sendMessage 200 .*only this/,
    );
  });

  it('reports duplicate deliveries and resets', async () => {
    const tg = makeBot().telegram;
    for (const text of ['a', 'b', 'a']) await tg.sendMessage(USER, text);
    expect(fake.deliveredTexts(USER)).toEqual(['a', 'b', 'a']);
    expect(fake.duplicateTexts(USER)).toEqual(['a']);
    fake.reset();
    expect(fake.calls).toHaveLength(0);
    expect(fake.stats()).toMatchObject({ calls: 0, sendsOk: 0 });
    expect(fake.deliveredTexts(USER)).toEqual([]);
  });
});

describe('FakeBotApi wire format', () => {
  it('accepts GET query strings and form bodies, answers JSON', async () => {
    const get = await raw('sendMessage', { query: `chat_id=${USER}&text=${encodeURIComponent('查 询')}` });
    expect(get.status).toBe(200);
    expect(get.type).toBe('application/json');
    expect(get.body).toMatchObject({ ok: true, result: { text: '查 询', chat: { id: USER } } });
    const form = await raw('sendMessage', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: String(GROUP),
        text: 'form',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'x', callback_data: 'x' }]] }),
      }).toString(),
    });
    expect(form.body).toMatchObject({ ok: true, result: { chat: { id: GROUP, type: 'group' } } });
    expect(fake.sent(GROUP)[0]).toMatchObject({
      chat_id: GROUP,
      reply_markup: { inline_keyboard: [[{ text: 'x' }]] },
    });
    // Method names are case-insensitive, like Telegram's.
    expect((await raw('SENDMESSAGE', json({ chat_id: USER, text: 'caps' }))).status).toBe(200);
  });

  it('answers unknown methods with 404 and wrong tokens with 401', async () => {
    const unknown = await raw('sendTelepathy', json({}));
    expect(unknown).toEqual({
      status: 404,
      type: 'application/json',
      body: { ok: false, error_code: 404, description: 'Not Found: method not found' },
    });
    const wrong = await raw('getMe', { token: '1:nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const missing = await raw('sendMessage', json({ text: 'no chat' }));
    expect(missing.body.description).toBe('Bad Request: chat_id is empty');
  });

  it('parses multipart bodies with UTF-8 file names', () => {
    const body = Buffer.from(
      '--XX\r\ncontent-disposition:form-data; name="chat_id"\r\n\r\n42\r\n' +
        '--XX\r\nContent-Disposition: form-data; name="document"; filename="报告.txt"\r\nContent-Type: text/plain\r\n\r\n' +
        'a\r\nb\r\n--XX--',
    );
    const fields = parseMultipart(body, 'XX');
    expect(fields.chat_id).toBe('42');
    expect(fields.document).toMatchObject({ filename: '报告.txt', contentType: 'text/plain', size: 4 });
  });

  it('parses the three parse modes like TDLib', () => {
    expect(parseHtml('<pre><code class="language-ts">x</code></pre>').entities).toEqual([
      { type: 'pre', offset: 0, length: 1, language: 'ts' },
    ]);
    expect(parseHtml('&amp;&#x41;&unknown;').text).toBe('&A&unknown;');
    expect(() => parseHtml('<span>x</span>')).toThrow(
      'Tag "span" must have class "tg-spoiler" at byte offset 0',
    );
    expect(parseMarkdownV2('__u__ ||s|| [t](https://x.y/\\)) `a.b`').text).toBe('u s t a.b');
    expect(parseMarkdownV2('>quoted line\\.\n**>expandable||').text).toBe('quoted line.\nexpandable');
    expect(() => parseMarkdownV2('*open')).toThrow("Can't find end of Bold entity at byte offset 0");
    expect(() => parseMarkdownV2('a-b')).toThrow("Character '-' is reserved");
    expect(parseMarkdown('*b* _i_ [l](http://x)').entities.map((e) => e.type)).toEqual([
      'bold',
      'italic',
      'text_link',
    ]);
    expect(() => parseMarkdown('user_name')).toThrow(
      "Can't find end of the entity starting at byte offset 4",
    );
  });
});

describe('fake-bot-api-server.ts', () => {
  it('runs in its own process, prints its url and exits on SIGTERM', async () => {
    const script = new URL('./fake-bot-api-server.ts', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
      // No tsx compile cache folder left in the temp dir.
      env: { ...process.env, TSX_DISABLE_CACHE: '1' },
    });
    const lines = createInterface({ input: child.stdout });
    const iterator = lines[Symbol.asyncIterator]();
    const first = await iterator.next();
    const { url, token } = JSON.parse(String(first.value)) as { url: string; token: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await (await fetch(`${url}/bot${token}/getMe`)).json();
    expect(me).toMatchObject({ ok: true, result: { username: 'kczm_test_bot' } });
    child.stdin.write(`${JSON.stringify({ cmd: 'privateText', args: [7, 'hi'] })}\n`);
    const answer = JSON.parse(String((await iterator.next()).value)) as { ok: boolean };
    expect(answer.ok).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
