import type { UnitKind } from '../../domain/roster.js';

/**
 * The rules for one cell of a roster row: how a cell is cleaned, and what a kind, a phone and a
 * pilot-city mark may be. Each rule returns the value or the reason it is refused.
 */

export type Checked<T> = { readonly value: T } | { readonly error: string };

const CONTROL = /[\p{Cc}\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]/u;
/** A cell export protected against formula injection: '=..., '+..., '-..., '@... */
const ESCAPED = /^'+[=+\-@]/;
const PHONE = /^[0-9 +\-()转]*$/;

const KIND_WORDS: ReadonlyMap<string, UnitKind> = new Map([
  ...['学校', '中小学', '中小学校', '中学', '小学', 'school'].map((w) => [w, 'school'] as const),
  ...['高校', '大学', '高等学校', 'university'].map((w) => [w, 'university'] as const),
  ...['校外机构', '科技馆', '校外', 'outofschool', 'out_of_school'].map((w) => [w, 'out_of_school'] as const),
]);

const YES = new Set(['是', 'true', '1', 'yes', 'y', '√']);
const NO = new Set(['否', 'false', '0', 'no', 'n', '×']);

/** Length in characters (code points), as a person counts them. */
export const length = (s: string) => [...s].length;

/** Reads one cell: export's apostrophe dropped, NFKC, trimmed; errors for control characters. */
export function cleanCell(raw: string): Checked<string> {
  const trimmed = raw.trim();
  const bad = CONTROL.exec(trimmed);
  if (bad) {
    const code = bad[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0');
    return { error: `contains a control or invisible character (U+${code})` };
  }
  const unescaped = ESCAPED.test(trimmed) ? trimmed.slice(1) : trimmed;
  return { value: unescaped.normalize('NFKC').trim() };
}

/** The kind a name suggests: 大学 → university; 科技馆, 博物馆, 活动中心, 公司, 集团 → out of school. */
export function inferKind(name: string): UnitKind {
  if (/(中学|小学|学校|幼儿园|附中|附小)$/.test(name)) return 'school';
  if (/(科技馆|博物馆|活动中心|少年宫|公司|集团|研究所|研究院|科学院|科普基地)/.test(name))
    return 'out_of_school';
  if (/(大学|学院)/.test(name)) return 'university';
  return 'school';
}

/** A kind cell: 学校 / 高校 / 校外机构 or their English names. */
export function kindCell(text: string): Checked<UnitKind> {
  const kind = KIND_WORDS.get(text.toLowerCase().replace(/[\s-]+/g, ''));
  if (kind) return { value: kind };
  return { error: `unknown kind ${text}: use 学校 (school), 高校 (university) or 校外机构 (out_of_school)` };
}

/** The reason a phone cell is refused, or null. */
export function phoneError(phone: string): string | null {
  return PHONE.test(phone) ? null : `phone ${phone} may contain only digits, spaces, + - ( ) and 转`;
}

/** A pilot-city cell: 是 or 否 (or true/false, yes/no, 1/0, √/×). */
export function pilotCell(text: string): Checked<boolean> {
  const key = text.toLowerCase();
  if (YES.has(key)) return { value: true };
  if (NO.has(key)) return { value: false };
  return { error: `pilot city must be 是 or 否 (got ${text})` };
}
