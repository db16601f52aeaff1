import { describe, expect, it } from 'vitest';
import { HandlerPool } from '../../src/bot/handler-pool.js';
import { type BotHarness, startBotHarness } from '../support/bot-harness.js';

/** The per-user limiter through the real handlers, with a controlled clock; the handler pool. */

describe('rate limit', () => {
  it('lets `limit` updates through per window, then one 请稍后再试 and silence; buttons are still answered', async () => {
    let now = 1_000_000;
    const h: BotHarness = await startBotHarness({
      rateLimit: {
        limit: 3,
        windowMs: 10_000,
        groupLimit: 2,
        groupWindowMs: 60_000,
        clock: { now: () => now },
      },
    });
    try {
      const USER = 31;
      const OTHER = 32;
      for (let i = 0; i < 10; i++) await h.handle(h.fake.privateText(USER, '张掖中学'));
      const texts = () => h.fake.sent(USER).map((m) => String(m.text));
      // The notice is sent without holding the update loop.
      await h.fake.waitFor(() => texts().some((t) => t.includes('请稍后再试')));
      expect(texts().filter((t) => t.includes('张掖中学'))).toHaveLength(3);
      expect(texts().filter((t) => t.includes('请稍后再试'))).toHaveLength(1);
      expect(texts()).toHaveLength(4);
      // A button pressed over the limit is answered, not acted on.
      await h.handle(h.fake.callbackQuery(USER, USER, '1|u|1'));
      await h.fake.waitFor(() => h.fake.callsOf('answerCallbackQuery').length === 1);
      expect(texts()).toHaveLength(4);
      // Someone else is not affected.
      await h.handle(h.fake.privateText(OTHER, '张掖中学'));
      expect(h.fake.sent(OTHER)).toHaveLength(1);
      // Anonymous admins of different groups (one shared bot user) are counted per group; in a
      // group a member gets `groupLimit` answers per group window, then one notice.
      for (const group of [-1009000000001, -1009000000002]) {
        for (let i = 0; i < 3; i++)
          await h.handle(
            h.fake.groupText(group, 1087968824, '/cities', { senderChat: { id: group, type: 'supergroup' } }),
          );
        await h.fake.waitFor(() => h.fake.sent(group).length === 3);
        expect(h.fake.sent(group).map((m) => String(m.text).includes('请稍后再试'))).toEqual([
          false,
          false,
          true,
        ]);
      }
      // A new window: answered again.
      now += 10_000;
      await h.handle(h.fake.privateText(USER, '张掖中学'));
      expect(texts()).toHaveLength(5);
    } finally {
      await h.close();
    }
  });
});

describe('handler pool', () => {
  it('keeps each chat in order, runs chats concurrently, and bounds what it admits', async () => {
    const pool = new HandlerPool(3);
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const task = (name: string) => () =>
      new Promise<void>((resolve) => {
        log.push(`start ${name}`);
        gates.set(name, () => {
          log.push(`end ${name}`);
          resolve();
        });
      });
    await pool.admit('a', task('a1'));
    await pool.admit('a', task('a2'));
    await pool.admit('b', task('b1'));
    await new Promise((r) => setTimeout(r, 0));
    // a2 waits for a1; b1 runs beside a1.
    expect(log).toEqual(['start a1', 'start b1']);
    // Full (3 admitted): the next admit waits until one finishes.
    let admitted = false;
    const fourth = pool.admit('c', task('c1')).then(() => {
      admitted = true;
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(admitted).toBe(false);
    gates.get('a1')!();
    await fourth;
    await new Promise((r) => setTimeout(r, 0));
    expect(log.slice(0, 3)).toEqual(['start a1', 'start b1', 'end a1']);
    expect(log.slice(3).sort()).toEqual(['start a2', 'start c1']);
    for (const name of ['a2', 'b1', 'c1']) gates.get(name)!();
    await pool.idle();
    expect(pool.size).toBe(0);
  });
});
