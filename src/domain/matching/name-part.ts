import { headText } from '../text/cut.js';
import { canonical } from '../text/normalize.js';

/**
 * The part of a question that names something: 请问张掖中学是试点单位吗 → 张掖中学.
 * Works on canonical text (see text/normalize.ts); strips known wrappers from both ends only, so
 * a name is never cut in the middle.
 */

const PREFIXES = [
  '帮我查一下',
  '帮忙查一下',
  '麻烦问一下',
  '我想问一下',
  '我想问下',
  '想问下',
  '想问一下',
  '请问一下',
  '打扰一下',
  '查询一下',
  '咱们学校',
  '我们学校',
  '我们单位',
  '老师好',
  '打扰了',
  '帮我查',
  '我想问',
  '问一下',
  '查一下',
  '你们好',
  '请问',
  '问下',
  '想问',
  '你好',
  '您好',
  '麻烦',
  '查询',
  '查下',
  '我们',
  '我校',
  '本校',
  '咱们',
  '我是',
  '我在',
  '我单位',
  '这里是',
  '这是',
  '是',
  '查',
  '问',
];

const SUFFIXES = [
  '科创筑梦助力双减科普行动',
  '科创筑梦',
  '助力双减',
  '科普行动',
  '试点单位',
  '试点学校',
  '试点城市',
  '试点',
  '名单里面',
  '名单里',
  '名单中',
  '名单内',
  '名单上',
  '名单',
  '里面',
  '之列',
  '之一',
  '其中',
  '是不是',
  '算不算',
  '在不在',
  '有没有',
  '是否',
  '属于',
  '入选',
  '列入',
  '进入',
  '成为',
  '一个',
  '没有',
  '吗',
  '么',
  '嘛',
  '呢',
  '吧',
  '啊',
  '呀',
  '了',
  '没',
  '的',
  '是',
  '在',
  '算',
];

/** Canonical text without question wrappers at either end. */
export function namePart(canonicalText: string): string {
  let text = canonicalText;
  let changed = true;
  while (changed && text) {
    changed = false;
    for (const p of PREFIXES) {
      if (text.startsWith(p) && text.length > p.length) {
        text = text.slice(p.length);
        changed = true;
        break;
      }
    }
    for (const s of SUFFIXES) {
      if (text.endsWith(s)) {
        text = text.slice(0, -s.length);
        changed = true;
        break;
      }
    }
  }
  return text;
}

/** Text beyond this many canonical characters is not read: no name is that long. */
export const MAX_NAME = 120;

/** The name part of any text: canonical, cut to MAX_NAME characters, without question wrappers. */
export function nameOf(text: string): string {
  return namePart(headText(canonical(text), MAX_NAME));
}
