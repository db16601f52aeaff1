import { MAX_NAME, nameOf, namePart } from '../matching/name-part.js';
import { leadingName, readSpans, type Span } from '../sentence.js';
import { headText } from '../text/cut.js';
import { canonical, simplify } from '../text/normalize.js';
import { withoutRanges } from '../text/ranges.js';
import { dropReferenceTail, listLeadIn, stripWrappers } from '../text/wrappers.js';
import { landmarksOnly, namesNobody } from './ask-name.js';
import { about, askName, cities, contact, DUTIES, greeting, help, province } from './general.js';
import { spansAnswer } from './multiple.js';
import { single } from './one-name.js';
import { isPlaceOnly, mostSpecific } from './place-mentions.js';
import { cityMembership, isProvinceQuestion, listFor, outsideScope } from './place-questions.js';
import type { RosterLookup } from './roster-lookup.js';
import { isVague, namesInstitution, placeOf } from './span-kinds.js';
import type { Answer } from './types.js';
import { vaguePlace } from './vague-place.js';
import { CITY_WORDS, LIST } from './words.js';

/**
 * Intent detection: what one message (or clause) asks, in the order the readings are tried —
 * greeting, help, fees, pinyin, schools named (a duty question from one, or the schools asked
 * about), contacts, the national programme, other provinces, the city list, the province, a
 * place's list or vague school, the programme, a city's membership, schools named only as
 * landmarks or context, an unnamed school, and last the text as one name.
 */

const HELP =
  /^(help|帮助|菜单|说明|使用说明|怎么用|如何使用|你能做什么|你会什么|功能|start|开始)$|怎么用|如何使用|能做什么|使用帮助|你是谁|你是什么/;
const GREETING_WORDS =
  /你好|您好|老师好|大家好|机器人|小助手|助手|hi|hello|hey|嗨|哈喽|在吗|在不在|在么|谢谢|多谢|感谢|好的|收到|ok|嗯|哦|早上好|上午好|下午好|晚上好|早|辛苦了|打扰了|打扰一下|我想咨询一下|想咨询一下|咨询一下|想请教一下|请教一下|请问一下|想问一下|问一下|我想问|想问下|想问|问下|请问|请教|咨询|一下|我想|老师|你|您|啊|呀|了|哈|我/g;
const CONTACT =
  /联系人|联系方式|联系电话|电话|手机|找谁|问谁|咨询谁|邮箱|email|负责人|对接人|怎么联系|联系谁/;
const FEE =
  /收费|收钱|营利|盈利|赚钱|挣钱|商业|牟利|收取费用|费用|要钱|交钱|缴费|交费|付费|收取|收.{0,4}[费钱]/;
const ABOUT =
  /要做什么|做什么|做些什么|干些什么|要做啥|需要做|干什么|做哪些|任务|职责|义务|五大|科普行动是|试点内容|工作内容|公益|什么要求|有何要求|有什么要求|工作要求|介绍|是什么|什么是|关于试点|保障|支持措施|云平台|有什么用|有啥用|好处|要干啥|干啥|干嘛|开展哪些|哪些工作|哪些活动|参加哪些|交什么|材料|要交|报告|哪五个|五个行动|科普行动/;
const CITY_CUE = /试点城市|试点市州|试点市|试点地区|城市|市州/;
/** A place's question whether it has pilots at all (…有试点学校吗). */
const HAS_PILOTS = /^(?:的)?(?:有|有没有|还有|有哪些)(?:试点)?(?:学校|单位)?$/;
/** The whole list asked for without a place. */
const WHOLE_LIST =
  /^(?:请|麻烦)?(?:把|给我|发)?(?:试点)?(?:单位|学校)?名单(?:发|给|列|看|是什么|有哪些|呢|吧|一下|发一下|发我)*$|名单(?:能不能|可不可以|能|可以)?(?:发|给我|列|分享)|全部名单|完整名单|所有的?试点(?:单位|学校)|全部试点(?:单位|学校)/;
/** Asking for the names (哪些) rather than the count (几个). */
const WHICH = /哪些|哪几|哪5|哪五|是哪|名单|列|分别|有谁|都有/;
const NATIONAL = /全国|全中国|国家级|全国范围|全国一共|全国共/;
const MEMBERSHIP_CUE = /试点|名单|入选|列入|评上|选上/;
/** Words that ask whether something is listed (is it a pilot), as opposed to what pilots do. */
const ASKS_MEMBERSHIP =
  /试点吗|试点不|试点么|试点嘛|试点没|是试点|算试点|不是试点|是不是|算不算|在不在|有没有|名单|入选(?:了)?(?:吗|没|么|不)|是否入选|列入|评上|选上|吗$|(?<!什)么$|嘛$|是吧|对吧|[不没]$/;
/** A place and a vague reference to its pilot (榆中县的那个试点是啥). */
const VAGUE_PILOT =
  /^(的)?(那个|这个|那几个|那些|那家|那所)(试点|试点单位|试点学校|单位|机构)(是啥|是什么|是哪个|是哪些|叫什么|是谁)?$/;

/** Reads one message of free text: what it names, then what it asks about that. */
export function answerMessage(lookup: RosterLookup, message: string): Answer {
  const whole = headText(simplify(message), 400);
  if (!whole) return help('unknown');
  if (!whole.replace(GREETING_WORDS, '')) return greeting();
  // 问下哈 …… 谢谢🙏: the question without the chat wrappers around it.
  const text = tidy(lookup, message);
  const plain = headText(simplify(text), 400);
  if (HELP.test(plain)) return help('help');
  if (FEE.test(plain)) return about(text, 'fee');

  // Pinyin is read as one name, spaces and all (lanzhou wushier zhong).
  if (/^[a-z0-9]+$/.test(plain)) return single(lookup, text);
  // Pinyin inside a Chinese question (jiuquan sanzhong是试点吗): the pinyin is the name.
  const latin = latinName(text);
  if (latin) return single(lookup, latin);
  const spans = readSpans(text);
  const named = spans.filter((s) => namesInstitution(lookup, s));
  // 我是天水市科技馆的，想问下我们要做什么: a duty question from a named unit, not a membership one.
  const unnamed = named.reduce((t, s) => t.replace(s.written, ''), plain);
  if (named.length && DUTIES.test(unnamed) && !ASKS_MEMBERSHIP.test(unnamed)) return about(text);
  // Only context (除了甘州中学，张掖还有哪些试点): the question is elsewhere in the message.
  if (named.some((s) => !s.context)) return spansAnswer(lookup, named);

  // What is left once the context schools are taken out is the question (张掖还有哪些试点).
  let asked = named.length ? simplify(text) : text;
  for (const s of named) asked = asked.replace(s.written, '');
  if (named.length) asked = asked.replace(/^除了|^不算|^除去/, '');
  const name = nameOf(asked);
  const mentions = lookup.places.findAll(name);
  if (CONTACT.test(plain)) return contact(lookup.roster);
  if (NATIONAL.test(plain)) return province(lookup.roster, 'national');
  const outside = outsideScope(lookup, mentions);
  if (outside) return outside;
  const cityList = CITY_CUE.test(plain) && LIST.test(plain) && !lookup.prefecturesIn(mentions).length;
  if (cityList && WHICH.test(plain)) return cities(lookup.roster);
  if (isProvinceQuestion(lookup, plain, name, mentions)) return province(lookup.roster, 'gansu');
  if (cityList) return cities(lookup.roster);
  // 试点名单 / 名单发一下 / 所有试点单位, with no place: the province's list.
  if (!mentions.length && WHOLE_LIST.test(plain)) return province(lookup.roster, 'gansu');
  if (mentions.length && VAGUE_PILOT.test(withoutRanges(name, mentions))) {
    const vague = vaguePlace(lookup, name);
    if (vague) return vague;
  }
  if (LIST.test(plain) || /的试点(单位|学校)$/.test(plain)) {
    const list = listFor(lookup, name, mentions);
    if (list) return list;
  }
  if (ABOUT.test(plain)) return about(text);
  // The question usually comes last (我是甘州区一名小学老师，想问下甘州区有哪些学校是试点).
  const vague = lastVagueSchool(lookup, spans);
  if (vague) return vague;
  // 胡林家乡有试点学校吗, 静宁县有没有试点: that place's listed units.
  const local = lookup.townsIn(name).length > 0 || mostSpecific(mentions)?.level === 'county';
  // The question words as written, since the name part drops 有没有试点学校 as a wrapper.
  const full = headText(canonical(asked), MAX_NAME).replace(/(?:吗|呢|么|嘛)$/, '');
  const hasPilots = (t: string) =>
    HAS_PILOTS.test(withoutRanges(t, lookup.places.findAll(t)).replace(lookup.townsIn(t)[0] ?? '\u0000', ''));
  if (local && (hasPilots(name) || hasPilots(full))) {
    const vague = vaguePlace(lookup, name);
    if (vague) return vague;
  }
  if (isPlaceOnly(name, mentions, CITY_WORDS)) return cityMembership(lookup, mentions);
  const landmarks = landmarksOnly(lookup, spans, named, plain);
  if (landmarks) return landmarks;
  if (named.length) return spansAnswer(lookup, named);
  if (namesNobody(lookup, name, spans)) return askName();
  const only = spans.length === 1 ? spans[0] : undefined;
  // A name followed by words that are not a question about it (张掖中学今天开会吗): answer about
  // the name when it is listed, never "not listed" about the whole sentence.
  const answer = only && !only.headed ? single(lookup, only.written) : single(lookup, text);
  if (answer.verdict !== 'pilot' && answer.verdict !== 'ambiguous') {
    for (const span of spans) {
      const lead = span.headed ? null : leadingName(span);
      const found = lead ? single(lookup, lead, lead) : null;
      if (found && (found.verdict === 'pilot' || found.verdict === 'ambiguous')) return found;
    }
  }
  // A membership question that names nothing: ask for the name instead of "not understood".
  if (answer.intent === 'unknown' && MEMBERSHIP_CUE.test(plain)) return askName();
  return answer;
}

/** /check: always a membership question, whatever the words. */
export function check(lookup: RosterLookup, message: string): Answer {
  const text = tidy(lookup, message);
  const name = nameOf(text);
  if (!name)
    return {
      intent: 'help',
      matches: [],
      reply: '请在 /check 后面写上单位名称，例如：/check 民主西路小学',
    };
  const spans = readSpans(text);
  const named = spans.filter((s) => namesInstitution(lookup, s));
  if (named.length) return spansAnswer(lookup, named);
  const mentions = lookup.places.findAll(name);
  if (isPlaceOnly(name, mentions, CITY_WORDS)) return cityMembership(lookup, mentions);
  return lastVagueSchool(lookup, spans) ?? single(lookup, text);
}

/**
 * The last vague school of a named place (我是甘州区一名小学老师，想问下甘州区有哪些学校是试点): its
 * place's listed units, or the place's own status; null when no span is one.
 */
function lastVagueSchool(lookup: RosterLookup, spans: readonly Span[]): Answer | null {
  const vague = spans.filter((s) => s.headed && isVague(lookup, s) && placeOf(lookup, s)).at(-1);
  if (!vague) return null;
  return vaguePlace(lookup, vague.name) ?? cityMembership(lookup, lookup.places.findAll(vague.name));
}

/** The question without chat wrappers, list lead-ins or pointer tails (逻思智造这个公司). */
function tidy(lookup: RosterLookup, text: string): string {
  return dropReferenceTail(listLeadIn(stripWrappers(text)), (prefix) => {
    const name = canonical(prefix);
    return isPlaceOnly(name, lookup.places.findAll(name), /的|那|这/g);
  });
}

/** The one pinyin run of a message whose Chinese words only ask about it, or null. */
function latinName(text: string): string | null {
  const runs = text.normalize('NFKC').match(/[a-z][a-z0-9]*(?:\s+[a-z0-9]+)*/gi) ?? [];
  const run = runs.length === 1 ? runs[0]! : '';
  if (run.replace(/[^a-z]/gi, '').length < 6) return null;
  const rest = text.normalize('NFKC').replace(run, '');
  if (!/\p{Script=Han}/u.test(rest)) return null;
  const words = canonical(rest);
  return namePart(words) === '' || words.replace(CITY_WORDS, '') === '' ? run.toLowerCase() : null;
}
