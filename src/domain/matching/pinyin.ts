import { customPinyin, pinyin } from 'pinyin-pro';

// Place names whose reading differs from the everyday one.
customPinyin({ 宕昌: 'tàn chāng', 崆峒: 'kōng tóng', 会馆巷: 'huì guǎn xiàng' });

/** Toneless pinyin syllables; digits and Latin letters pass through as one token each. */
export function syllables(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
}

/** Toneless pinyin joined without separators: 民主西路小 → minzhuxiluxiao. */
export function pinyinKey(text: string): string {
  return syllables(text).join('');
}

/** Latin-letter spellings of type heads, rewritten like the canonical Chinese heads. */
const LATIN_HEADS: ReadonlyArray<readonly [RegExp, string]> = [
  [/fushuzhongxue/g, 'fuzhong'],
  [/shifandaxue/g, 'shida'],
  [/jiaotongdaxue/g, 'jiaoda'],
  [/chujizhongxue/g, 'chuzhong'],
  [/shiyanxiaoxue/g, 'shixiao'],
  [/zhongxue/g, 'zhong'],
  [/xiaoxue/g, 'xiao'],
];

/** Canonical form of a pinyin query: lower case letters and digits, type heads shortened. */
export function canonicalLatin(text: string): string {
  let out = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const [pattern, replacement] of LATIN_HEADS) out = out.replace(pattern, replacement);
  return out;
}
