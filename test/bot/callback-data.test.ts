import { describe, expect, it } from 'vitest';
import {
  actionKeyboard,
  type CallbackAction,
  decodeCallback,
  encodeCallback,
  MAX_CALLBACK_BYTES,
} from '../../src/bot/callback-data.js';
import type { Deadline } from '../../src/domain/deadlines/deadline.js';
import { reminderMessage } from '../../src/domain/deadlines/messages.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_ID = 2 ** 31 - 1;

describe('the callback codec', () => {
  it('gives back every action it encoded, within 64 bytes, at the largest ids', () => {
    const actions: CallbackAction[] = [
      { kind: 'unit', unitId: MAX_ID },
      { kind: 'bind', unitId: 1 },
      { kind: 'ack', deadlineId: MAX_ID, unitId: MAX_ID },
      { kind: 'unack', deadlineId: 3, unitId: 7 },
      { kind: 'request', requestId: MAX_ID, approve: false },
      { kind: 'confirm', token: 'A'.repeat(32) },
      { kind: 'cancel', token: 'abc_DEF-12' },
    ];
    for (const action of actions) {
      const data = encodeCallback(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
      expect(decodeCallback(data)).toEqual(action);
    }
  });

  it('decodes what messages sent before the codec carry, and nothing it did not produce', () => {
    expect(decodeCallback('ack:3:7')).toEqual({ kind: 'ack', deadlineId: 3, unitId: 7 });
    expect(decodeCallback('u:12')).toEqual({ kind: 'unit', unitId: 12 });
    for (const forged of [
      '1|a|3',
      '1|a|0|7',
      `1|u|${MAX_ID + 1}`,
      '2|u|1',
      '1|c|short',
      'ack:3',
      '',
      '1|r|1|2',
    ])
      expect(decodeCallback(forged), forged).toBeNull();
  });

  it('turns a reminder’s 已完成 actions into buttons that decode back to them; long titles are cut between code points', () => {
    // 6 + 57 code points before the emoji: a 64-code-point label would end in it.
    const title = `${'材'.repeat(57)}😀料提交`;
    const deadline: Deadline = {
      id: 41,
      title,
      dueAt: Date.parse('2026-12-15T17:00:00+08:00'),
      audience: { kind: 'all_units' },
      submit: null,
      offsets: ['1d'],
      source: null,
    };
    const due = Date.parse('2026-12-14T09:00:00+08:00');
    const message = reminderMessage(
      {
        chatId: -100,
        threadId: 0,
        bindingId: 1,
        kind: 'unit',
        prefecture: '张掖市',
        items: [{ deadlineId: 41, occurrence: '1d', fireAt: due, late: false, unitId: 9, progress: null }],
      },
      {
        deadlines: new Map([[41, deadline]]),
        unitName: () => '张掖中学',
        contact: undefined,
        timeZone: 'Asia/Shanghai',
        now: Date.parse('2026-12-14T09:00:00+08:00'),
      },
    );
    expect(message.buttons).toEqual([[`✅ 已完成：${title}`, { kind: 'ack', deadlineId: 41, unitId: 9 }]]);
    const [[button]] = actionKeyboard(message.buttons).inline_keyboard as [
      [{ text: string; callback_data: string }],
    ];
    expect(button.text).not.toMatch(LONE);
    expect(Array.from(button.text).length).toBeLessThanOrEqual(64);
    expect(button.text.endsWith('…')).toBe(true);
    expect(decodeCallback(button.callback_data)).toEqual({ kind: 'ack', deadlineId: 41, unitId: 9 });
  });
});
