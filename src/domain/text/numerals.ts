/**
 * Chinese ordinal numerals to digits, only where they are ordinals: after 第, or right before a
 * school type head (中学/小学/中/小/实验/...). Numerals inside proper names (一悟, 四局, 三岔, 五泉,
 * 九年制, 两当) are left alone, which general-purpose converters get wrong.
 */

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

const NUMERAL = '[零〇一二三四五六七八九十百]';
/** Heads an ordinal may stand before: 三中, 十三小, 三实小, 二初中. */
const HEAD = '(?:中学|小学|初中|初级中学|高中|高级中学|实验|实小|完小|中心小学|中|小)';

const AFTER_DI = new RegExp(`第(${NUMERAL}+)`, 'g');
const BEFORE_HEAD = new RegExp(`(${NUMERAL}+)(?=${HEAD})`, 'g');

/** Value of a run of Chinese numerals; digit-by-digit when it has no 十/百 (五二 → 52). */
export function parseChineseNumber(run: string): number | null {
  if (!run) return null;
  if (!/[十百]/.test(run)) {
    let out = '';
    for (const ch of run) {
      const d = DIGITS[ch];
      if (d === undefined) return null;
      out += String(d);
    }
    return Number(out);
  }
  let total = 0;
  let current = 0;
  for (const ch of run) {
    if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else {
      const d = DIGITS[ch];
      if (d === undefined) return null;
      current = d;
    }
  }
  return total + current;
}

function toDigits(run: string): string {
  const n = parseChineseNumber(run);
  return n === null ? run : String(n);
}

/** Converts ordinal numerals to Arabic digits in context; other text is returned unchanged. */
export function ordinalsToDigits(text: string): string {
  return text.replace(AFTER_DI, (_m, run: string) => `第${toDigits(run)}`).replace(BEFORE_HEAD, toDigits);
}
