import type { Context } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { isGroupAdmin } from '../../src/bot/chat-admins.js';
import type { Clock } from '../../src/clock.js';

/** A clock that moves only when told to. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1_000_000;
  return {
    now: () => t,
    monotonic: () => t,
    setTimeout: () => ({}),
    clearTimeout: () => {},
    advance(ms) {
      t += ms;
    },
  };
}

/** A group message from `userId`, with getChatMember answering `status()` (calls counted). */
function groupMessage(chatId: number, userId: number, status: () => string) {
  const calls = { getChatMember: 0 };
  const ctx = {
    chat: { id: chatId, type: 'supergroup' },
    from: { id: userId },
    message: { text: '/bind' },
    telegram: {
      getChatMember: async () => {
        calls.getChatMember++;
        return { status: status() };
      },
    },
  } as unknown as Context;
  return { ctx, calls };
}

describe('isGroupAdmin', () => {
  it('remembers an answer for a minute of the injected clock, then asks Telegram again', async () => {
    const clock = manualClock();
    let status = 'administrator';
    const { ctx, calls } = groupMessage(-100_777_000_001, 4242, () => status);
    expect(await isGroupAdmin(ctx, 4242, clock)).toBe(true);
    status = 'member';
    clock.advance(59_000);
    expect(await isGroupAdmin(ctx, 4242, clock)).toBe(true);
    expect(calls.getChatMember).toBe(1);
    // A demotion is noticed once the minute has passed.
    clock.advance(2_000);
    expect(await isGroupAdmin(ctx, 4242, clock)).toBe(false);
    expect(calls.getChatMember).toBe(2);
  });

  it('takes an anonymous admin (posting as the group) without asking Telegram', async () => {
    const { ctx, calls } = groupMessage(-100_777_000_002, 1, () => 'member');
    (ctx.message as unknown as { sender_chat: { id: number } }).sender_chat = { id: -100_777_000_002 };
    expect(await isGroupAdmin(ctx, 1, manualClock())).toBe(true);
    expect(calls.getChatMember).toBe(0);
  });
});
