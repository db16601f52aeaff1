import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutText, fitUnits, headText, wellFormed } from '../../src/domain/text/cut.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('cutting user text', () => {
  it('never cuts inside an emoji: the 已完成 button of a title with an emoji at unit 59', () => {
    const label = `✅ 已完成：${'材'.repeat(53)}😀料提交`;
    expect(label.slice(0, 60)).toMatch(LONE); // what `.slice` did
    const cut = cutText(label, 60);
    expect(cut).not.toMatch(LONE);
    expect(cut.endsWith('…')).toBe(true);
    expect(Array.from(cut)).toHaveLength(60);
    expect(cutText('短标题', 60)).toBe('短标题');
  });

  it('keeps every result well-formed and within its limit (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 0, max: 80 }), (raw, max) => {
        const text = wellFormed(raw);
        expect(text).not.toMatch(LONE);
        for (const out of [cutText(text, max), headText(text, max)]) {
          expect(out).not.toMatch(LONE);
          expect(Array.from(out).length).toBeLessThanOrEqual(max);
        }
        const units = fitUnits(text, max);
        expect(units).not.toMatch(LONE);
        expect(units.length).toBeLessThanOrEqual(max);
        expect(text.startsWith(units)).toBe(true);
      }),
    );
  });
});
