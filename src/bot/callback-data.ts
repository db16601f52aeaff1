import type { Composer, Context } from 'telegraf';
import { cutText } from '../domain/text/cut.js';

/** Longest button label we send, in code points (cut between code points, never mid-character). */
const MAX_BUTTON_TEXT = 64;

/**
 * The one codec for inline-button callback data. Telegram gives it back verbatim from the client,
 * and "bad clients can send arbitrary data": every press is decoded here, strictly (kind, integer
 * ranges, token shape), and anything else is `null` — answered "按钮已过期，请重新查询". Decoding
 * says nothing about who may press: each handler checks that server-side.
 *
 * Format: `<version>|<kind>|<field>|…`, version 1, at most 64 bytes (Telegram's limit). Version 0
 * is the unversioned `ack:<deadline>:<unit>`, `unack:…` and `u:<unit>` of messages already sent
 * before the codec existed; they decode to the same actions.
 */
export type CallbackAction =
  /** An ambiguous answer's candidate unit. */
  | { readonly kind: 'unit'; readonly unitId: number }
  /** /bind: one candidate of an ambiguous unit name. */
  | { readonly kind: 'bind'; readonly unitId: number }
  /** 已完成 / 撤销 on a unit group's reminder. */
  | { readonly kind: 'ack'; readonly deadlineId: number; readonly unitId: number }
  | { readonly kind: 'unack'; readonly deadlineId: number; readonly unitId: number }
  /** A coordinator approves or rejects a group's binding request. */
  | { readonly kind: 'request'; readonly requestId: number; readonly approve: boolean }
  /** Confirm a pending one-time action (broadcast, deadline removal) by its token, or cancel it. */
  | { readonly kind: 'confirm'; readonly token: string }
  | { readonly kind: 'cancel'; readonly token: string };

export type CallbackKind = CallbackAction['kind'];

const VERSION = '1';
const CODES = {
  unit: 'u',
  bind: 'b',
  ack: 'a',
  unack: 'x',
  request: 'r',
  confirm: 'c',
  cancel: 'n',
} as const satisfies Record<CallbackKind, string>;
const KINDS = new Map<string, CallbackKind>(
  Object.entries(CODES).map(([kind, code]) => [code, kind as CallbackKind]),
);

/** Telegram's limit on callback_data, in bytes. */
export const MAX_CALLBACK_BYTES = 64;
const ID = /^[1-9]\d{0,9}$/;
const TOKEN = /^[A-Za-z0-9_-]{8,32}$/;

function id(field: string | undefined): number | null {
  if (field === undefined || !ID.test(field)) return null;
  const n = Number(field);
  return n <= 2 ** 31 - 1 ? n : null;
}

/** Encodes an action; throws (a bug) when the result would exceed Telegram's 64 bytes. */
export function encodeCallback(action: CallbackAction): string {
  const fields: (string | number)[] = [VERSION, CODES[action.kind]];
  switch (action.kind) {
    case 'unit':
    case 'bind':
      fields.push(action.unitId);
      break;
    case 'ack':
    case 'unack':
      fields.push(action.deadlineId, action.unitId);
      break;
    case 'request':
      fields.push(action.requestId, action.approve ? 1 : 0);
      break;
    case 'confirm':
    case 'cancel':
      fields.push(action.token);
      break;
  }
  const data = fields.join('|');
  if (Buffer.byteLength(data) > MAX_CALLBACK_BYTES) throw new RangeError(`callback data too long: ${data}`);
  return data;
}

/** Decodes callback data; null for anything this bot did not produce (or no longer accepts). */
export function decodeCallback(data: string | undefined): CallbackAction | null {
  if (data === undefined || data.length > MAX_CALLBACK_BYTES) return null;
  const legacy = /^(ack|unack):(\d+):(\d+)$/.exec(data) ?? /^(u):(\d+)$/.exec(data);
  if (legacy) {
    const [, kind, a, b] = legacy;
    if (kind === 'u') {
      const unitId = id(a);
      return unitId === null ? null : { kind: 'unit', unitId };
    }
    const deadlineId = id(a);
    const unitId = id(b);
    if (deadlineId === null || unitId === null) return null;
    return { kind: kind === 'ack' ? 'ack' : 'unack', deadlineId, unitId };
  }
  const [version, code, ...rest] = data.split('|');
  if (version !== VERSION || code === undefined) return null;
  const kind = KINDS.get(code);
  switch (kind) {
    case 'unit':
    case 'bind': {
      const unitId = rest.length === 1 ? id(rest[0]) : null;
      return unitId === null ? null : { kind, unitId };
    }
    case 'ack':
    case 'unack': {
      const deadlineId = rest.length === 2 ? id(rest[0]) : null;
      const unitId = rest.length === 2 ? id(rest[1]) : null;
      return deadlineId === null || unitId === null ? null : { kind, deadlineId, unitId };
    }
    case 'request': {
      const requestId = rest.length === 2 ? id(rest[0]) : null;
      if (requestId === null || (rest[1] !== '0' && rest[1] !== '1')) return null;
      return { kind, requestId, approve: rest[1] === '1' };
    }
    case 'confirm':
    case 'cancel': {
      const token = rest.length === 1 ? rest[0]! : '';
      return TOKEN.test(token) ? { kind, token } : null;
    }
    default:
      return null;
  }
}

/** A plain Bot API button (no telegraf `hide` field). */
export function button(text: string, action: CallbackAction): { text: string; callback_data: string } {
  return { text: cutText(text, MAX_BUTTON_TEXT), callback_data: encodeCallback(action) };
}

/** The keyboard of labelled actions, one per row (a reminder's 已完成 buttons). */
export function actionKeyboard(buttons: readonly (readonly [string, CallbackAction])[]) {
  return { inline_keyboard: buttons.map(([text, action]) => [button(text, action)]) };
}

/** An inline keyboard, one row per inner array. */
export function keyboard(rows: readonly (readonly { text: string; callback_data: string }[])[]) {
  return { reply_markup: { inline_keyboard: rows.map((r) => [...r]) } };
}

export const STALE_BUTTON = '按钮已过期，请重新查询';

type ActionOf<K extends CallbackKind> = Extract<CallbackAction, { kind: K }>;
type CallbackContext = Context & { callbackQuery: NonNullable<Context['callbackQuery']> };

/**
 * Handles one kind of button. The handler gets the decoded action; whatever it does, the
 * callback query is answered (with nothing when the handler did not answer it), so no spinner
 * keeps turning.
 */
export function onCallback<K extends CallbackKind>(
  bot: Composer<Context>,
  kind: K,
  handler: (
    ctx: CallbackContext & { from: NonNullable<Context['from']> },
    action: ActionOf<K>,
  ) => Promise<unknown>,
): void {
  bot.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const action = decodeCallback(data);
    if (action?.kind !== kind) return next();
    let answered = false;
    const answer = ctx.answerCbQuery.bind(ctx);
    ctx.answerCbQuery = ((...args: Parameters<typeof answer>) => {
      answered = true;
      return answer(...args);
    }) as typeof answer;
    try {
      await handler(ctx as never, action as ActionOf<K>);
    } finally {
      if (!answered) await answer().catch(() => undefined);
    }
  });
}

/** Last: every callback no handler took (forged, malformed, from an old version) is answered. */
export function answerStaleCallbacks(bot: Composer<Context>): void {
  bot.on('callback_query', (ctx) => ctx.answerCbQuery(STALE_BUTTON, { show_alert: true }));
}
