import { lazyRequire } from '../../lazy-require.js';
import { parseChineseNumber } from '../text/numerals.js';

type PinyinPro = typeof import('pinyin-pro');
let pinyinPro: PinyinPro | undefined;

/**
 * pinyin-pro, loaded (synchronously) on the first call: its dictionaries cost ~75 ms and ~20 MB,
 * and only pinyin and homophone questions need it, so a start does not pay for it.
 */
function loadPinyinPro(): PinyinPro {
  if (!pinyinPro) {
    pinyinPro = lazyRequire('pinyin-pro') as PinyinPro;
    // Place names whose reading differs from the everyday one.
    pinyinPro.customPinyin({ 宕昌: 'tàn chāng', 崆峒: 'kōng tóng', 会馆巷: 'huì guǎn xiàng' });
  }
  return pinyinPro;
}

/** Toneless pinyin syllables; digits and Latin letters pass through as one token each. */
export function syllables(text: string): string[] {
  return loadPinyinPro().pinyin(text, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
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

const LATIN_DIGITS: Record<string, string> = {
  ling: '零',
  yi: '一',
  er: '二',
  san: '三',
  si: '四',
  wu: '五',
  liu: '六',
  qi: '七',
  ba: '八',
  jiu: '九',
  shi: '十',
  bai: '百',
};

/** A spelled-out ordinal right before a type head (wushier zhong → 52zhong), as the Chinese side does. */
const LATIN_ORDINAL =
  /(?<![a-z])(di)?((?:ling|yi|er|san|si|wu|liu|qi|ba|jiu|shi|bai)+)(?=\s*(?:zhong|xiao|chuzhong|gaozhong|shixiao))/g;

function latinOrdinals(text: string): string {
  return text.replace(LATIN_ORDINAL, (whole, _di: string | undefined, run: string, offset: number) => {
    let body = run;
    let kept = '';
    // ...shi xiao is 实小 (sanshixiao = 三实小), not 30小.
    if (body.endsWith('shi') && /^\s*xiao/.test(text.slice(offset + whole.length)) && body.length > 3) {
      body = body.slice(0, -3);
      kept = 'shi';
    }
    const chars = body.match(/ling|yi|er|san|si|wu|liu|qi|ba|jiu|shi|bai/g) ?? [];
    const value = parseChineseNumber(chars.map((c) => LATIN_DIGITS[c]).join(''));
    return value === null ? whole : `${value}${kept}`;
  });
}

/** Canonical form of a pinyin query: lower case letters and digits, ordinals as digits, type heads shortened. */
export function canonicalLatin(text: string): string {
  // Ordinals are read where a word starts (lanzhou wushier zhong), never inside one (mengba zhong).
  let out = latinOrdinals(text.toLowerCase().replace(/[^a-z0-9\s]/g, ' ')).replace(/[^a-z0-9]/g, '');
  for (const [pattern, replacement] of LATIN_HEADS) out = out.replace(pattern, replacement);
  return out;
}
