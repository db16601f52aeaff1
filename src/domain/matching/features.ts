/**
 * Identity-bearing parts of a canonical name: the ordinal numbers, the type family and the
 * direction characters. Two names that differ in any of them are different institutions
 * (51中 ≠ 52中, 五泉中 ≠ 五泉小, 交大 ≠ 交大附中, 东关 ≠ 西关).
 */

export type TypeFamily =
  | 'affiliated'
  | 'university'
  | 'middle'
  | 'primary'
  | 'school'
  | 'museum'
  | 'centre'
  | 'group'
  | 'company';

const FAMILIES: ReadonlyArray<readonly [RegExp, TypeFamily]> = [
  [/附[中小]$/, 'affiliated'],
  [/(大学|师大|交大|学院)$/, 'university'],
  [/(初中|高中|中)$/, 'middle'],
  [/(实小|小)$/, 'primary'],
  [/(九年制|学校)$/, 'school'],
  [/(科技馆|博物馆|馆)$/, 'museum'],
  [/中心$/, 'centre'],
  [/集团$/, 'group'],
  [/公司$/, 'company'],
];

/** Type family from the end of a canonical name, or null when the name has no type head. */
export function typeFamily(canonicalName: string): TypeFamily | null {
  for (const [pattern, family] of FAMILIES) if (pattern.test(canonicalName)) return family;
  return null;
}

/** Ordinal numbers in order of appearance, as strings (52, 3). */
export function numbersIn(text: string): string[] {
  return text.match(/\d+/g) ?? [];
}

const DIRECTIONS = /[东西南北]/g;

/** Direction characters, sorted, e.g. 西北师大 → 北西. */
export function directionsIn(text: string): string {
  return (text.match(DIRECTIONS) ?? []).sort().join('');
}

const NUMERAL_CHARS = /[\d零〇一二三四五六七八九十百两]/;

/** True when a character carries identity on its own (a numeral or a direction). */
export function isIdentityChar(ch: string): boolean {
  return NUMERAL_CHARS.test(ch) || /[东西南北]/.test(ch);
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
