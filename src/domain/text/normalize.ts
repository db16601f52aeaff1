import * as OpenCC from 'opencc-js/t2cn';
import { ordinalsToDigits } from './numerals.js';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Anything that is not a letter or a digit: punctuation, spaces, emoji, controls, zero-width. */
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Normalised surface text: NFKC (full-width → half-width), traditional → simplified, lower case,
 * no spaces, punctuation, symbols or invisible characters.
 */
export function simplify(text: string): string {
  // 乾 is also a simplified character in place names (乾县, 乾安县); OpenCC would make it 干.
  const protectedText = text.normalize('NFKC').replaceAll('乾', '\u{F0000}');
  return toSimplified(protectedText).replaceAll('\u{F0000}', '乾').toLowerCase().replace(NOT_WORD, '');
}

/** Type heads rewritten to one canonical short form, longest first. */
const HEADS: ReadonlyArray<readonly [RegExp, string]> = [
  [/付属/g, '附属'],
  [/附属中学/g, '附中'],
  [/附属小学/g, '附小'],
  [/师范大学/g, '师大'],
  [/交通大学/g, '交大'],
  [/初级中学/g, '初中'],
  [/高级中学/g, '高中'],
  [/九年一贯制学校|九年制学校/g, '九年制'],
  [/实验小学/g, '实小'],
  [/中学/g, '中'],
  [/小学/g, '小'],
  [/第(?=\d)/g, ''],
];

/** Canonical form used on both sides of every comparison: simplify + ordinals + type heads. */
export function canonical(text: string): string {
  let out = ordinalsToDigits(simplify(text));
  for (const [pattern, replacement] of HEADS) out = out.replace(pattern, replacement);
  return out;
}
