/**
 * Chat wrappers around a question, taken off before it is read: politeness and filler in front
 * (问下哈 / 麻烦问下 / 老师， / 请问 / 我想咨询下), thanks, particles, emoji and punctuation behind
 * (谢谢 / 哈 / 呀呀 / 哦 / 🙏 / ??), and particles glued to a clause (甘州中学哈，). Works on the text as
 * written, so clause punctuation inside the message is kept for the sentence reader.
 */

/** Emoji, pictographs and their joiners, skin tones and variation selectors. */
const EMOJI = /(?:\p{Extended_Pictographic}|\u{FE0F}|\u{FE0E}|\u{200D}|\u{20E3}|[\u{1F3FB}-\u{1F3FF}])+/gu;

/** Separators that may follow a wrapper: spaces, commas, colons, exclamation marks, dots. */
const SEP = '[\\s,，、:：!！.。~～…]*';

/** Particles a speaker adds after a wrapper (问下哈), never the 哈 of a place (哈密, 哈尔滨). */
const PARTICLE = '(?:(?!哈密|哈尔滨|哈巴河|哈达铺)[哈啊呀哦噢啦嗯])*';

/**
 * Polite or filler openings, longest first. Each is a wrapper only at the very start (after
 * another wrapper); none of them begins an institution's name.
 */
const OPENINGS = [
  '各位老师好',
  '各位老师',
  '老师们好',
  '老师您好',
  '老师你好',
  '老师好',
  '领导好',
  '大家好',
  '您好',
  '你好',
  '在吗',
  '在不在',
  '不好意思',
  '打扰一下',
  '打扰了',
  '麻烦问一下',
  '麻烦问下',
  '麻烦请问',
  '麻烦您',
  '麻烦',
  '请问一下',
  '请问下',
  '请问',
  '请教一下',
  '请教下',
  '我想问一下',
  '我想问下',
  '我想问问',
  '想问一下',
  '想问下',
  '想问问',
  '问一下',
  '问下',
  '我想咨询一下',
  '我想咨询下',
  '想咨询一下',
  '想咨询下',
  '咨询一下',
  '咨询下',
  '我想了解一下',
  '我想了解下',
  '想了解一下',
  '想了解下',
  '了解一下',
  '我想确认一下',
  '想确认一下',
  '确认一下',
  '我想查一下',
  '我想查下',
  '想查一下',
  '想查下',
  '帮我查一下',
  '帮我查下',
  '帮忙查一下',
  '帮忙查下',
  '帮我看一下',
  '帮我看看',
  '查一下',
  '查下',
  '怎么查',
  '如何查',
  '嗯嗯',
  '嗯',
  '哦哦',
  '哦',
  '噢',
  '呃',
  '好的',
  '哈喽',
  'hello',
  'hi',
  '嗨',
];
const OPENING = new RegExp(`^(?:${OPENINGS.join('|')})${PARTICLE}${SEP}`, 'i');
/** 老师 / 领导 alone is an address only when a separator follows (老师，白银算试点城市不). */
const ADDRESS =
  /^(?:[\p{Script=Han}]?老师|领导)(?:[\s,，、:：!！]+|(?=我想|想问|请问|问下|问一下|麻烦|咨询|您好|你好|我们|我是|打扰))/u;
/** A tag or a mention in front: 【求助】, [提问], @机器人 (followed by a space). */
const TAG = /^(?:[【[][^】\]]{1,8}[】\]]|@\S{1,32}\s+)\s*/u;

/** Thanks and sign-offs at the end. */
const CLOSING = new RegExp(
  `(?:谢谢(?:您|你|老师|啦|了)?|谢啦|谢了|多谢(?:了)?|感谢(?:您)?|辛苦了|麻烦了|拜托了|thanks|thx)${PARTICLE}${SEP}$`,
  'i',
);
/** Particles and punctuation at the end (呀呀, 哦, 来着, ??, ~). */
const TRAILING = /(?:来着|[哈啊呀哦噢啦嗯]+|[\s,，、:：!！.。~～…?？;；]+)$/;
/** A particle glued to the end of a clause, before its punctuation: 甘州中学哈，我问的是… */
const CLAUSE_PARTICLE = /(?<=\p{Script=Han})[哈呀哦噢啦]+(?=[\s,，、:：!！.。~～…?？;；])/gu;

/** The question without its wrappers; the text itself when nothing else is left. */
export function stripWrappers(text: string): string {
  let out = text.normalize('NFKC').replace(EMOJI, ' ').trim();
  for (let changed = true; changed; ) {
    const before = out;
    out = out.replace(TAG, '').replace(OPENING, '').replace(ADDRESS, '');
    out = out.replace(CLOSING, '').replace(TRAILING, '').trim();
    changed = out !== before && out !== '';
  }
  out = out.replace(CLAUSE_PARTICLE, '');
  return out || text;
}

/** 名单里有没有X / 名单上有X吗: a membership question about X with the list in front. */
const LIST_LEAD =
  /^(?:试点)?(?:单位|学校)?名单(?:里面|里|中|上|内)?(?:有没有|有)(?!哪|几|多少|什么|谁)([^\s,，、。!！?？;；]{2,})$/;

/** 名单里有没有兰州五十二中 → 兰州五十二中是试点吗; anything else unchanged. */
export function listLeadIn(text: string): string {
  const m = LIST_LEAD.exec(text);
  if (!m) return text;
  const name = m[1]!.replace(/(?:吗|呢|么|嘛|没有|没)$/, '');
  return name.length >= 2 ? `${name}是试点吗` : text;
}

/** 逻思智造这个公司是试点吗: a name followed by a pointer back to it (这个公司, 这所学校). */
const REFERENCE_TAIL =
  /(^|[\s,，、。!！?？;；])([^\s,，、。!！?？;；]{2,}?)(?:这|那)(?:个|所|家|间)(?:公司|企业|学校|单位|机构|学院|大学|场馆)(?=[是算在有属不]|[\s,，、。!！?？;；]|$)/gu;
const PRONOUN = /(?:我们|咱们|我|你们|他们|她们|孩子|我家)$/;
/** A prefix that describes rather than names (离伏龙坪小学不远的那个学校, 旁边的那所学校). */
const DESCRIBES = /的$|离|旁边|附近|隔壁|对面|不是|[和与跟]/;

/**
 * The name without its pointer tail, unless what comes before the pointer names no institution on
 * its own: a pronoun (我们这个学校: ask for the name) or only a place (兰州那个学校: a vague place).
 */
export function dropReferenceTail(text: string, onlyPlace: (prefix: string) => boolean): string {
  return text.replace(REFERENCE_TAIL, (whole, sep: string, prefix: string) =>
    PRONOUN.test(prefix) || DESCRIBES.test(prefix) || onlyPlace(prefix) ? whole : `${sep}${prefix}`,
  );
}
