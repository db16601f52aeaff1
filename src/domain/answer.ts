import { typeFamily } from './matching/features.js';
import { Matcher, type UnitMatch } from './matching/matcher.js';
import { namePart } from './matching/name-part.js';
import { chinaPlaces, type Place, type PlaceIndex, type PlaceMention } from './places/china.js';
import {
  ASK_NAME_TEXT,
  aboutReply,
  allUnitsReply,
  ambiguousReply,
  citiesReply,
  cityReply,
  contactReply,
  coverage,
  dutiesReply,
  feeReply,
  GREETING_TEXT,
  HELP_TEXT,
  multipleReply,
  nationalReply,
  notPilotReply,
  pilotReply,
  prefectureStatus,
  provinceReply,
  UNKNOWN_TEXT,
  unitsReply,
  vagueReply,
} from './replies.js';
import type { Prefecture, Roster, Unit } from './roster.js';
import { endsInTypeHead, leadingName, readSpans, type Span } from './sentence.js';
import { cutText, headText } from './text/cut.js';
import { canonical, simplify } from './text/normalize.js';
import { dropReferenceTail, listLeadIn, stripWrappers } from './text/wrappers.js';

export type Intent =
  | 'membership'
  | 'list_units'
  | 'cities'
  | 'province'
  | 'contact'
  | 'about'
  | 'help'
  | 'greeting'
  | 'ask_name'
  | 'deadlines'
  | 'unknown';
export type Verdict = 'pilot' | 'not_pilot' | 'ambiguous';

export interface MatchEntry {
  readonly kind: 'unit' | 'city';
  /** Official unit name, or canonical prefecture name for cities. */
  readonly name: string;
  /** Canonical prefecture name. */
  readonly city: string;
  /** Roster id, for units. */
  readonly unitId?: number;
}

/** One school's answer inside a message that names several. */
export interface SpanResult {
  /** The name as the user wrote it. */
  readonly query: string;
  readonly verdict: Verdict;
  readonly matches: readonly MatchEntry[];
}

/** One answer, the same for every channel (Telegram, console, CLI). */
export interface Answer {
  readonly intent: Intent;
  /** 'multiple': the message named several schools; each has its own result in `results`. */
  readonly verdict?: Verdict | 'multiple';
  readonly matches: readonly MatchEntry[];
  readonly reply: string;
  readonly results?: readonly SpanResult[];
  /** For province questions: the province's own list or the national programme. */
  readonly scope?: 'gansu' | 'national';
  /** For about questions: the topic asked. */
  readonly topic?: 'fee' | 'duties' | 'general';
}

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
const LIST =
  /哪些|哪几|哪五|哪5|几个|几家|几所|多少|名单|列表|列出|列一下|列个|清单|所有|全部|都有|有谁|包括|分别|发一下|发个|发我|看看|有啥|有什么/;
const CITY_CUE = /试点城市|试点市州|试点市|试点地区|城市|市州/;
/** What a pilot has to do: duties, actions, activities, materials. */
export const DUTIES =
  /要做什么|做什么|做些什么|干些什么|要做啥|做些什么|干些什么|要做啥|需要做|干什么|做哪些|任务|职责|义务|要求|要干啥|干啥|干嘛|开展|哪些工作|活动|参加|材料|要交|交什么|报告|五大|哪五|行动|工作内容|试点内容/;
/** A place's question whether it has pilots at all (…有试点学校吗). */
const HAS_PILOTS = /^(?:的)?(?:有|有没有|还有|有哪些)(?:试点)?(?:学校|单位)?$/;
/** The whole list asked for without a place. */
const WHOLE_LIST =
  /^(?:请|麻烦)?(?:把|给我|发)?(?:试点)?(?:单位|学校)?名单(?:发|给|列|看|是什么|有哪些|呢|吧|一下|发一下|发我)*$|名单(?:能不能|可不可以|能|可以)?(?:发|给我|列|分享)|全部名单|完整名单|所有的?试点(?:单位|学校)|全部试点(?:单位|学校)/;
/** Asking for the names (哪些) rather than the count (几个). */
const WHICH = /哪些|哪几|哪5|哪五|是哪|名单|列|分别|有谁|都有/;
const NATIONAL = /全国|全中国|国家级|全国范围|全国一共|全国共/;
const PROVINCE_ONLY = /^(咱们|我们)?(全省|我省|本省|咱省|甘肃|甘肃省)|^(咱们|我们)省|^省(里|内)/;
/** Words of a province question besides the province: 甘肃省是不是试点省份, 甘肃的试点情况说一下. */
const PROVINCE_WORDS =
  /试点省份|试点省|省份|情况|说一下|介绍一下|讲一下|怎么样|入选了|入选|评上|几个|多少|一共|总共|共有|咱们|我们/g;
const CITY_WORDS =
  /到底|究竟|真的|试点城市|试点市州|试点市|城市|市州|地区|试点|名单|是不是|是否|有没有|算不算|评上|评为|选上|入选|成为|算|属于|吗|呢|嘛|么|没|不|啊|吧|呀|的|是|有|在|那|还|也|了|被/g;
const LIST_WORDS =
  /试点单位|试点学校|试点城市|单位|学校|哪些|哪几个|哪几家|哪几所|哪几|几个|几家|几所|多少|名单|列表|列出|列一下|列个|清单|所有|全部|都有谁|都有|有谁|谁|包括|还有|还|共有|来着|一共|总共|分别是|分别|发一下|发个|发我|分享|入选了|入选|入围|选上|能不能|可不可以|可以|能|请|查看|看看|给我|帮我|把|一下|有啥|有什么|个|所|家|的|有|是|呢|吗|在|啊|吧|呀|么|那|都|试点/g;
/** Words that ask about membership without naming anyone: 我们学校是试点吗. */
const NO_NAME =
  /^(我们|咱们|我|我的|我校|本校|我单位|本单位|我们单位|我们的|这个|这所|那个|那所|你们|贵|孩子|孩子的|我家孩子的?)*(学校|单位|学校们|机构|幼儿园|学院)?(是|算|在|属于|是不是|算不算|有没有|在不在|能不能|可以)*(试点|名单|试点单位|试点学校)?/;
const MEMBERSHIP_CUE = /试点|名单|入选|列入|评上|选上/;
/** Words that ask whether something is listed (is it a pilot), as opposed to what pilots do. */
const ASKS_MEMBERSHIP =
  /试点吗|试点不|试点么|试点嘛|试点没|是试点|算试点|不是试点|是不是|算不算|在不在|有没有|名单|入选(?:了)?(?:吗|没|么|不)|是否入选|列入|评上|选上|吗$|(?<!什)么$|嘛$|是吧|对吧|[不没]$/;
/** A span that is only a place and a kind of school (静宁县的那个小学): no institution is named. */
const VAGUE_WORDS =
  /我家孩子|孩子|我家|你们|他们|她们|一名|一位|那几个|那些|那个|这个|那所|这所|一个|一所|一家|这家|那家|某个|哪个|哪所|什么|科技特色|特色|重点|示范|普通|公办|民办|私立|乡镇|农村|山区|县城|城里|[两三四五六七八九十几\d]+个|的|有|个|所|里|那|这|我们|我|咱们|本|贵/g;
const BARE_TYPE =
  /^(学校|小|中|大学|学院|单位|幼儿园|中小|中小学|中小学校|中心小|中心学校|集团|教育集团|公司|科技公司|机构)?$/;
/** A place and a vague reference to its pilot (榆中县的那个试点是啥). */
const VAGUE_PILOT =
  /^(的)?(那个|这个|那几个|那些|那家|那所)(试点|试点单位|试点学校|单位|机构)(是啥|是什么|是哪个|是哪些|叫什么|是谁)?$/;

/** A number of schools (三所学校, 这两个单位) rather than a school. */
const COUNTED_SCHOOLS = /[两二三四五六七八九十几\d][个所家](?:学校|单位|小学|中学)$/;
/** Words that name a school as a landmark near the one asked about. */
const LANDMARK = /旁边|附近|对面|隔壁|边上|很近|挺近|不远/;

/** Routes free text to an answer using the roster; pure (no I/O, no clock). */
export class Answerer {
  private readonly matcher: Matcher;
  private readonly places: PlaceIndex;
  /** Township forms (洮阳镇, 洮阳) → the units named after them. */
  private readonly towns = new Map<string, Unit[]>();
  private readonly maxTown: number;
  private readonly byId: Map<number, Unit>;

  constructor(
    readonly roster: Roster,
    places: PlaceIndex = chinaPlaces(),
  ) {
    this.places = places;
    this.matcher = new Matcher(roster, places);
    for (const profile of this.matcher.profiles) {
      for (const seg of profile.segments) {
        if (seg.level !== 'town') continue;
        for (const form of seg.forms) {
          const list = this.towns.get(form) ?? [];
          list.push(profile.unit);
          this.towns.set(form, list);
        }
      }
    }
    this.maxTown = Math.max(0, ...[...this.towns.keys()].map((f) => f.length));
    this.byId = new Map(roster.units.map((u) => [u.id, u]));
  }

  /**
   * Answers one message of free text: reads what it names, then what it asks about that. A
   * message of several clauses that names no institution and reads as a "no" as a whole (我们白银
   * 到底算不算试点城市啊，群里说法不一) is asked clause by clause: a list, city or province answer
   * of one clause, or its request for the school's name (我是白银的老师，我们学校算不算试点), is the
   * answer. A school's "yes" is never taken from a clause (context).
   */
  answer(message: string): Answer {
    const whole = this.answerMessage(message);
    if (whole.intent !== 'membership' || whole.verdict !== 'not_pilot' || whole.matches.length) return whole;
    const clauses = headText(message, 400)
      .split(/[，,。；;！!？?：:\s]+/)
      .filter((c) => c.trim());
    if (clauses.length < 2 || readSpans(message).some((s) => this.namesInstitution(s))) return whole;
    for (const clause of clauses) {
      const a = this.answerMessage(clause);
      const cityAnswer = a.intent === 'membership' && a.verdict === 'pilot' && a.matches[0]?.kind === 'city';
      const listed = a.intent === 'list_units' || a.intent === 'cities' || a.intent === 'province';
      if (listed || cityAnswer || a.intent === 'ask_name') return a;
    }
    return whole;
  }

  private answerMessage(message: string): Answer {
    const whole = headText(simplify(message), 400);
    if (!whole) return this.help('unknown');
    if (!whole.replace(GREETING_WORDS, '')) return this.greeting();
    // 问下哈 …… 谢谢🙏: the question without the chat wrappers around it.
    const text = this.tidy(message);
    const plain = headText(simplify(text), 400);
    if (HELP.test(plain)) return this.help('help');
    if (FEE.test(plain)) return this.about(text, 'fee');

    // Pinyin is read as one name, spaces and all (lanzhou wushier zhong).
    if (/^[a-z0-9]+$/.test(plain)) return this.single(text);
    // Pinyin inside a Chinese question (jiuquan sanzhong是试点吗): the pinyin is the name.
    const latin = latinName(text);
    if (latin) return this.single(latin);
    const spans = readSpans(text);
    const named = spans.filter((s) => this.namesInstitution(s));
    // 我是天水市科技馆的，想问下我们要做什么: a duty question from a named unit, not a membership one.
    const unnamed = named.reduce((t, s) => t.replace(s.written, ''), plain);
    if (named.length && DUTIES.test(unnamed) && !ASKS_MEMBERSHIP.test(unnamed)) return this.about(text);
    // Only context (除了甘州中学，张掖还有哪些试点): the question is elsewhere in the message.
    if (named.some((s) => !s.context)) return this.spansAnswer(named);

    // What is left once the context schools are taken out is the question (张掖还有哪些试点).
    let asked = named.length ? simplify(text) : text;
    for (const s of named) asked = asked.replace(s.written, '');
    if (named.length) asked = asked.replace(/^除了|^不算|^除去/, '');
    const name = namePart(headText(canonical(asked), 120));
    const mentions = this.places.findAll(name);
    if (CONTACT.test(plain)) return this.contact();
    if (NATIONAL.test(plain)) return this.province('national');
    const outside = this.outsideScope(mentions);
    if (outside) return outside;
    const cityList = CITY_CUE.test(plain) && LIST.test(plain) && !this.gansuPrefectures(mentions).length;
    if (cityList && WHICH.test(plain)) return this.cities();
    if (this.isProvinceQuestion(plain, name, mentions)) return this.province('gansu');
    if (cityList) return this.cities();
    // 试点名单 / 名单发一下 / 所有试点单位, with no place: the province's list.
    if (!mentions.length && WHOLE_LIST.test(plain)) return this.province('gansu');
    if (mentions.length && VAGUE_PILOT.test(stripSpans(name, mentions))) {
      const vague = this.vague(name);
      if (vague) return vague;
    }
    if (LIST.test(plain) || /的试点(单位|学校)$/.test(plain)) {
      const list = this.listFor(name, mentions);
      if (list) return list;
    }
    if (ABOUT.test(plain)) return this.about(text);
    // The question usually comes last (我是甘州区一名小学老师，想问下甘州区有哪些学校是试点).
    const vague = spans.filter((s) => s.headed && this.isVague(s) && this.placeOf(s)).at(-1);
    if (vague) return this.vague(vague.name) ?? this.cityMembership(this.places.findAll(vague.name));
    // 胡林家乡有试点学校吗, 静宁县有没有试点: that place's listed units.
    const local = this.townsIn(name).length > 0 || mostSpecific(mentions)?.level === 'county';
    // The question words as written, since the name part drops 有没有试点学校 as a wrapper.
    const full = headText(canonical(asked), 120).replace(/(?:吗|呢|么|嘛)$/, '');
    const hasPilots = (t: string) =>
      HAS_PILOTS.test(stripSpans(t, this.places.findAll(t)).replace(this.townsIn(t)[0] ?? '\u0000', ''));
    if (local && (hasPilots(name) || hasPilots(full))) {
      const vague = this.vague(name);
      if (vague) return vague;
    }
    if (isPlaceOnly(name, mentions, CITY_WORDS)) return this.cityMembership(mentions);
    // A旁边那个小学是试点吗: the school asked about is not named, A is only context.
    if (named.length && spans.some((s) => s.headed && !s.context && this.isVague(s) && !this.placeOf(s))) {
      const notes = named.map((s) => this.contextNote(s)).filter((n): n is string => Boolean(n));
      return { ...this.askName(), reply: [ASK_NAME_TEXT, ...notes].join('\n') };
    }
    // 我们学校在张掖中学旁边，是试点吗: only landmarks are named; the school asked about is not.
    if (named.length && named.every((s) => s.context) && LANDMARK.test(plain)) {
      const notes = named.map((s) => this.contextNote(s)).filter((n): n is string => Boolean(n));
      return { ...this.askName(), reply: [ASK_NAME_TEXT, ...notes].join('\n') };
    }
    if (named.length) return this.spansAnswer(named);
    if (this.isNoName(name, spans)) return this.askName();
    const only = spans.length === 1 ? spans[0] : undefined;
    // A name followed by words that are not a question about it (张掖中学今天开会吗): answer about
    // the name when it is listed, never "not listed" about the whole sentence.
    const answer = only && !only.headed ? this.single(only.written) : this.single(text);
    if (answer.verdict !== 'pilot' && answer.verdict !== 'ambiguous') {
      for (const span of spans) {
        const lead = span.headed ? null : leadingName(span);
        const found = lead ? this.single(lead, lead) : null;
        if (found && (found.verdict === 'pilot' || found.verdict === 'ambiguous')) return found;
      }
    }
    // A membership question that names nothing: ask for the name instead of "not understood".
    if (answer.intent === 'unknown' && MEMBERSHIP_CUE.test(plain)) return this.askName();
    return answer;
  }

  /** The question without chat wrappers, list lead-ins or pointer tails (逻思智造这个公司). */
  private tidy(text: string): string {
    return dropReferenceTail(listLeadIn(stripWrappers(text)), (prefix) => {
      const name = canonical(prefix);
      return isPlaceOnly(name, this.places.findAll(name), /的|那|这/g);
    });
  }

  /** /check: always a membership question, whatever the words. */
  check(message: string): Answer {
    const text = this.tidy(message);
    const name = namePart(headText(canonical(text), 120));
    if (!name)
      return {
        intent: 'help',
        matches: [],
        reply: '请在 /check 后面写上单位名称，例如：/check 民主西路小学',
      };
    const spans = readSpans(text);
    const named = spans.filter((s) => this.namesInstitution(s));
    if (named.length) return this.spansAnswer(named);
    const mentions = this.places.findAll(name);
    if (isPlaceOnly(name, mentions, CITY_WORDS)) return this.cityMembership(mentions);
    // The question usually comes last (我是甘州区一名小学老师，想问下甘州区有哪些学校是试点).
    const vague = spans.filter((s) => s.headed && this.isVague(s) && this.placeOf(s)).at(-1);
    if (vague) return this.vague(vague.name) ?? this.cityMembership(this.places.findAll(vague.name));
    return this.single(text);
  }

  greeting(): Answer {
    return { intent: 'greeting', matches: [], reply: GREETING_TEXT };
  }

  askName(): Answer {
    return { intent: 'ask_name', matches: [], reply: ASK_NAME_TEXT };
  }

  /** 甘肃/全省: the province's cities and units; 全国: the national programme. */
  province(scope: 'gansu' | 'national'): Answer {
    const cities = this.roster.prefectures
      .filter((p) => p.pilotCity)
      .map((p) => ({ kind: 'city' as const, name: p.name, city: p.name }));
    const reply = scope === 'national' ? nationalReply(this.roster) : provinceReply(this.roster);
    return { intent: 'province', scope, matches: scope === 'gansu' ? cities : [], reply };
  }

  /** Answers the institution spans of a message: one line each, context ones noted. */
  private spansAnswer(spans: readonly Span[]): Answer {
    // A later mention that is the end of an earlier one refers back to it (兰州五十二中 … 五十二中, 附中).
    const distinct = spans.filter((s, i) => !spans.slice(0, i).some((o) => o.name.endsWith(s.name)));
    const asked = distinct.filter((s) => !s.context);
    const context = distinct.filter((s) => s.context);
    const focus = asked.length ? asked : context;
    const unique = focus.filter((s, i) => focus.findIndex((o) => o.name === s.name) === i);
    if (unique.length === 1) {
      const answer = this.single(unique[0]!.written, unique[0]!.written);
      const notes = context
        .filter((s) => asked.length && s.name !== unique[0]!.name)
        .map((s) => this.contextNote(s))
        .filter((n): n is string => Boolean(n));
      return notes.length ? { ...answer, reply: `${answer.reply}\n${notes.join('\n')}` } : answer;
    }
    const results = unique.slice(0, 10).map((s) => ({ span: s, answer: this.single(s.written, s.written) }));
    const out: SpanResult[] = results.map(({ span, answer }) => ({
      query: span.written,
      verdict: (answer.verdict ?? 'not_pilot') as Verdict,
      matches: answer.matches,
    }));
    return {
      intent: 'membership',
      verdict: 'multiple',
      matches: out.flatMap((r) => r.matches),
      results: out,
      reply: multipleReply(
        results.map(({ span, answer }) => ({
          query: span.written,
          verdict: (answer.verdict ?? 'not_pilot') as Verdict,
          units: answer.matches.flatMap((m) => (m.unitId === undefined ? [] : [this.unitById(m.unitId)!])),
        })),
        this.covered(),
      ),
    };
  }

  /** A line about a school named only as context, when it is listed (its true status). */
  private contextNote(span: Span): string | null {
    const answer = this.single(span.written, span.written);
    if (answer.verdict !== 'pilot') return null;
    return `（另：你提到的${answer.matches[0]?.name}是试点单位。）`;
  }

  /** Whether a span names one institution (not 这个学校, not 静宁县的那个小学). */
  private namesInstitution(span: Span): boolean {
    if (!span.headed) return false;
    // 定西的试点学校有哪些: the span is the place alone once the question words are cut off.
    if (this.isPlaceAlone(span)) return false;
    // 请帮忙核实三所学校：…: a count of schools introduces names, it is not one.
    if (COUNTED_SCHOOLS.test(span.written)) return false;
    return !this.isVague(span);
  }

  /**
   * A place (or nothing) and a bare kind of school, with a vague or list word between: 静宁县的那个小学,
   * 洮阳镇的小学, 兰州有哪几所学校, 我们学校. A place and a type head alone (张掖中学) is a name.
   */
  private isVague(span: Span): boolean {
    // Townships of the roster first: 兴国镇 is a town of 秦安县, not 兴国县 of Jiangxi.
    let town = span.name;
    for (const form of this.townsIn(span.name)) town = town.replace(form, '');
    const mentions = this.places.findAll(town);
    const rest = stripSpans(town, mentions);
    const placed = mentions.length > 0 || town !== span.name;
    const bare = rest.replace(VAGUE_WORDS, '').replace(LIST_WORDS, '');
    return BARE_TYPE.test(bare) && (!placed || bare !== rest);
  }

  /** A span that is nothing but places (定西, 临洮县洮阳镇). */
  private isPlaceAlone(span: Span): boolean {
    let rest = span.name;
    for (const form of this.townsIn(rest)) rest = rest.replace(form, '');
    const mentions = this.places.findAll(rest);
    return mentions.length > 0 && stripSpans(rest, mentions) === '';
  }

  /** Whether a span names a place (a town of the roster or any place of China). */
  private placeOf(span: Span): boolean {
    return this.places.findAll(span.name).length > 0 || this.townsIn(span.name).length > 0;
  }

  private isNoName(name: string, spans: readonly Span[]): boolean {
    if (spans.some((s) => s.headed && this.isVague(s) && !this.placeOf(s))) return true;
    const m = NO_NAME.exec(name);
    return Boolean(m && m[0] === name && /学校|单位|我们|我校|本校|咱们|机构/.test(name));
  }

  private isProvinceQuestion(plain: string, name: string, mentions: readonly PlaceMention[]): boolean {
    if (PROVINCE_ONLY.test(plain) && !this.gansuPrefectures(mentions.slice(1)).length) {
      const place = mostSpecific(mentions);
      if (!place || (place.level === 'province' && this.covers(place.name))) {
        const rest = stripSpans(name, mentions).replace(/全省|我省|本省|咱省|省里|省内|^(咱们|我们)?省/g, '');
        return (
          rest.replace(PROVINCE_WORDS, '').replace(LIST_WORDS, '').replace(CITY_WORDS, '') === '' ||
          LIST.test(plain)
        );
      }
    }
    return false;
  }

  /** A question about a province or prefecture this roster does not cover (四川省有哪些试点城市). */
  private outsideScope(mentions: readonly PlaceMention[]): Answer | null {
    const named = mentions.flatMap((m) => {
      const levels = m.places.filter((p) => p.level === 'province' || p.level === 'prefecture');
      return levels.length === m.places.length ? [levels] : [];
    });
    if (!named.length || named.some((places) => places.some((p) => this.covers(p.province)))) return null;
    const place = named[0]![0]!;
    const national = this.roster.contacts.find((c) => c.level === 'national');
    return {
      intent: 'membership',
      verdict: 'not_pilot',
      matches: [],
      reply: [
        `❌ 本助手只收录${this.covered()}的名单，没有${place.name}的。`,
        national
          ? `${place.name}的试点情况请咨询全国联系人${national.person}（${national.phone}）。`
          : `${place.name}的试点情况请咨询全国联系人。`,
      ].join('\n'),
    };
  }

  /** The listed units of a vaguely named place (静宁县的那个小学 → 静宁县's units); null without a place. */
  private vague(name: string): Answer | null {
    const mentions = this.places.findAll(name).map((m) => {
      const local = m.places.filter((p) => this.covers(p.province));
      return local.length ? { ...m, places: local } : m;
    });
    const place = mostSpecific(mentions);
    let units: Unit[] = [];
    let label = '';
    const town = this.townsIn(name).sort((a, b) => b.length - a.length)[0];
    if (town) {
      units = this.towns.get(town) ?? [];
      label = town;
    } else if (place?.level === 'county' && this.covers(place.province)) {
      units = this.roster.units.filter((u) => u.county === place.name);
      label = place.name;
    } else {
      const pref = this.gansuPrefectures(mentions).at(-1);
      if (pref) {
        units = this.roster.units.filter((u) => u.prefecture === pref.name);
        label = pref.name;
      }
    }
    if (!label) return null;
    const family = typeFamily(
      name.replace(VAGUE_WORDS, '').replace(/试点|单位|是啥|是什么|是哪个|是哪些|叫什么/g, ''),
    );
    // 学校 is any school: only 小学 or 中学 narrows the list.
    const narrow = family === 'primary' || family === 'middle' ? family : null;
    const fitting = narrow ? units.filter((u) => typeFamily(canonical(u.name)) === narrow) : units;
    const shown = fitting.length ? fitting : units;
    const kind = fitting.length ? kindWord(narrow) : kindWord(null);
    if (!shown.length) {
      return {
        intent: 'membership',
        verdict: 'not_pilot',
        matches: [],
        reply: `❌ 名单中没有${label}的${kindWord(family)}。\n${prefectureStatus(this.roster, this.prefecture(place?.prefecture ?? ''), place?.prefecture ?? label)}`,
      };
    }
    return {
      intent: 'membership',
      verdict: 'ambiguous',
      matches: shown.map(unitEntry),
      reply: vagueReply(label, kind, shown),
    };
  }

  private single(text: string, written?: string): Answer {
    const name = namePart(headText(canonical(text), 120));
    const mentions = this.places.findAll(name);
    if (!written && isPlaceOnly(name, mentions, CITY_WORDS)) return this.cityMembership(mentions);
    return this.membership(text, name, mentions, written);
  }

  /** /units: the units of one prefecture (or all, for 甘肃/empty). */
  units(text: string): Answer {
    const name = canonical(text);
    if (!name || /^甘肃省?$/.test(name)) {
      return {
        intent: 'list_units',
        matches: this.roster.units.map(unitEntry),
        reply: allUnitsReply(this.roster),
      };
    }
    return (
      this.listFor(name, this.places.findAll(name)) ?? {
        intent: 'list_units',
        matches: [],
        reply: `没有找到市州「${cutText(text.trim(), 20)}」。有试点单位的市州：${this.roster.prefectures.map((p) => p.name).join('、')}。\n例如：/units 兰州`,
      }
    );
  }

  cities(): Answer {
    const matches = this.roster.prefectures
      .filter((p) => p.pilotCity)
      .map((p) => ({ kind: 'city' as const, name: p.name, city: p.name }));
    return { intent: 'cities', matches, reply: citiesReply(this.roster) };
  }

  contact(): Answer {
    return { intent: 'contact', matches: [], reply: contactReply(this.roster.contacts) };
  }

  /** /about and duty or fee questions: the question asked answered first, /about for the rest. */
  about(text = '', topic?: 'fee'): Answer {
    const plain = simplify(text);
    if (topic === 'fee') return { intent: 'about', topic: 'fee', matches: [], reply: feeReply() };
    const kind = /校外|科技馆|博物馆|机构|活动中心|公司/.test(plain)
      ? 'out_of_school'
      : /学校|中学|小学|老师|教师/.test(plain)
        ? 'school'
        : undefined;
    const duties = DUTIES.test(plain);
    if (duties && kind) return { intent: 'about', topic: 'duties', matches: [], reply: dutiesReply(kind) };
    return { intent: 'about', topic: duties ? 'duties' : 'general', matches: [], reply: aboutReply(kind) };
  }

  help(intent: 'help' | 'unknown' = 'help'): Answer {
    return { intent, matches: [], reply: intent === 'help' ? HELP_TEXT : UNKNOWN_TEXT };
  }

  /** The Gansu prefecture a text names on its own (兰州, 临夏州), or null. */
  resolvePrefecture(text: string): Prefecture | null {
    const name = namePart(headText(canonical(text), 120));
    const mentions = this.places.findAll(name);
    if (!isPlaceOnly(name, mentions, /市州|地区/g)) return null;
    const byShort = this.roster.prefectures.find(
      (p) => p.name === text.trim() || p.shortNames.includes(text.trim()),
    );
    return byShort ?? this.gansuPrefectures(mentions).at(-1) ?? null;
  }

  /** The unit a text names: the unit, the candidates when ambiguous, or none. */
  resolveUnit(text: string): { unit: Unit } | { candidates: readonly Unit[] } | null {
    const result = this.matcher.match(text);
    if (result.verdict === 'pilot') return { unit: result.unit };
    if (result.verdict === 'ambiguous') return { candidates: result.units };
    return null;
  }

  /** The answer for one unit, e.g. after a button press. */
  forUnit(unitId: number): Answer | null {
    const unit = this.byId.get(unitId);
    if (!unit) return null;
    return {
      intent: 'membership',
      verdict: 'pilot',
      matches: [unitEntry(unit)],
      reply: pilotReply(unit, this.prefecture(unit.prefecture)),
    };
  }

  private membership(
    text: string,
    name: string,
    mentions: readonly PlaceMention[],
    written?: string,
  ): Answer {
    const result: UnitMatch = this.matcher.match(text);
    const label = written ?? writtenName(text);
    if (result.verdict === 'pilot') {
      return {
        intent: 'membership',
        verdict: 'pilot',
        matches: [unitEntry(result.unit)],
        reply: pilotReply(result.unit, this.prefecture(result.unit.prefecture)),
      };
    }
    if (result.verdict === 'ambiguous') {
      return {
        intent: 'membership',
        verdict: 'ambiguous',
        matches: result.units.map(unitEntry),
        reply: ambiguousReply(label, result.units, result.generic === true),
      };
    }
    if (!written && !result.vetoed && !looksLikeName(name, mentions)) return this.help('unknown');
    return {
      intent: 'membership',
      verdict: 'not_pilot',
      matches: [],
      reply: notPilotReply(this.covered(), label, this.placeNotes(mentions), this.roster.contacts[0]),
    };
  }

  private cityMembership(mentions: readonly PlaceMention[]): Answer {
    const place = mostSpecific(mentions);
    const gansu = this.gansuPrefectures(mentions);
    const prefecture = gansu.at(-1);
    if (place && place.level === 'county' && this.covers(place.province)) {
      const pref = this.prefecture(place.prefecture ?? '');
      const inCounty = this.roster.units.filter((u) => u.county === place.name);
      const lines = [
        `❌ ${place.name}不是单独的试点城市（区、县）。`,
        prefectureStatus(this.roster, pref, place.prefecture ?? ''),
        inCounty.length
          ? `${place.name}的试点单位：${inCounty.map((u) => u.name).join('、')}。`
          : `名单中没有标明在${place.name}的试点单位。`,
      ];
      return { intent: 'membership', verdict: 'not_pilot', matches: [], reply: lines.join('\n') };
    }
    if (prefecture) {
      const reply = cityReply(this.roster, prefecture);
      if (prefecture.pilotCity) {
        return {
          intent: 'membership',
          verdict: 'pilot',
          matches: [{ kind: 'city', name: prefecture.name, city: prefecture.name }],
          reply,
        };
      }
      return { intent: 'membership', verdict: 'not_pilot', matches: [], reply };
    }
    const label = place?.name ?? '这个地方';
    const inGansu = place !== undefined && this.covers(place.province);
    const reply = inGansu
      ? `❌ ${label}不是试点城市，也没有试点单位。\n${place?.province}试点城市：${this.pilotCities(place?.province).join('、')}。`
      : `❌ ${label}不在本助手收录的名单中（本助手收录：${this.covered()}）；其他省份请咨询全国联系人。`;
    return { intent: 'membership', verdict: 'not_pilot', matches: [], reply };
  }

  private listFor(name: string, mentions: readonly PlaceMention[]): Answer | null {
    if (!isPlaceOnly(name, mentions, LIST_WORDS)) return null;
    const place = mostSpecific(mentions);
    if (place?.level === 'province' && this.covers(place.name)) return this.units('');
    const prefecture = this.gansuPrefectures(mentions).at(-1);
    if (prefecture) {
      const units = this.roster.units.filter((u) => u.prefecture === prefecture.name);
      return {
        intent: 'list_units',
        matches: units.map(unitEntry),
        reply: unitsReply(this.roster, prefecture),
      };
    }
    // A county's list is a question about candidates (静宁县有哪几个试点学校): one button each.
    if (place?.level === 'county' && this.covers(place.province)) {
      const vague = this.vague(name);
      if (vague) return vague;
    }
    if (place) {
      return {
        intent: 'list_units',
        matches: [],
        reply: `${place.name}不在本助手收录的范围内（本助手收录：${this.covered()}）。`,
      };
    }
    return null;
  }

  private placeNotes(mentions: readonly PlaceMention[]): string[] {
    const notes: string[] = [];
    const place = mostSpecific(mentions);
    if (!place) return notes;
    if (!this.covers(place.province)) {
      notes.push(`本助手收录的是${this.covered()}的名单；${place.name}不在其中。`);
      return notes;
    }
    if (place.prefecture)
      notes.push(prefectureStatus(this.roster, this.prefecture(place.prefecture), place.prefecture));
    return notes;
  }

  private gansuPrefectures(mentions: readonly PlaceMention[]): Prefecture[] {
    const out: Prefecture[] = [];
    for (const m of mentions) {
      for (const p of m.places) {
        if (p.level !== 'prefecture') continue;
        const pref = this.prefecture(p.name);
        if (pref && !out.includes(pref)) out.push(pref);
      }
    }
    return out;
  }

  /** Roster township forms of three or more characters (洮阳镇) found in a text, longest first per position. */
  private townsIn(text: string): string[] {
    const out: string[] = [];
    for (let start = 0; start < text.length; start++) {
      for (let len = Math.min(this.maxTown, text.length - start); len >= 3; len--) {
        const form = text.slice(start, start + len);
        if (this.towns.has(form)) {
          out.push(form);
          break;
        }
      }
    }
    return out;
  }

  private unitById(id: number): Unit | undefined {
    return this.byId.get(id);
  }

  private prefecture(name: string): Prefecture | undefined {
    return this.roster.prefectures.find((p) => p.name === name);
  }

  private pilotCities(province?: string): string[] {
    return this.roster.prefectures
      .filter((p) => p.pilotCity && (!province || p.province === province))
      .map((p) => p.name);
  }

  private coveredText: string | undefined;

  /** What the roster covers, in words; computed once per roster snapshot. */
  private covered(): string {
    this.coveredText ??= coverage(this.roster);
    return this.coveredText;
  }

  /** Whether the roster covers a province (its places get a status; others are out of scope). */
  private covers(province: string): boolean {
    return this.roster.prefectures.some((p) => p.province === province);
  }
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

function unitEntry(unit: Unit): MatchEntry {
  return { kind: 'unit', name: unit.name, city: unit.prefecture, unitId: unit.id };
}

/** True when the text is only place names plus the given filler words. */
function isPlaceOnly(name: string, mentions: readonly PlaceMention[], fillers: RegExp): boolean {
  if (!mentions.length) return false;
  let rest = '';
  let at = 0;
  for (const m of mentions) {
    rest += name.slice(at, m.start);
    at = m.end;
  }
  rest += name.slice(at);
  return rest.replace(fillers, '') === '';
}

/** The most specific place named (a county over a prefecture over a province); the last one wins ties. */
function mostSpecific(mentions: readonly PlaceMention[]): Place | undefined {
  const rank = { country: -1, province: 0, prefecture: 1, county: 2 } as const;
  let best: Place | undefined;
  for (const m of mentions) {
    // A form like 临夏 may be a prefecture or a county: read it as the prefecture.
    const place = [...m.places].sort((a, b) => rank[a.level] - rank[b.level])[0];
    if (place && (!best || rank[place.level] >= rank[best.level])) best = place;
  }
  return best;
}

/** A text worth a "not in the list" answer: it names a place or an institution, in Chinese. */
function looksLikeName(name: string, mentions: readonly PlaceMention[]): boolean {
  if (mentions.length) return true;
  return (
    /[\p{Script=Han}]{2,}/u.test(name) &&
    /(中|小|学校|大学|学院|馆|中心|集团|公司|园|九年制|一贯制)$/.test(name)
  );
}

/** The name part of a message as written (simplified), for quoting; '' when it is not a short name. */
function writtenName(text: string): string {
  const plain = namePart(headText(simplify(text), 120));
  return plain.length <= 24 && /[\p{Script=Han}]{2,}/u.test(plain) && endsInTypeHead(plain) ? plain : '';
}

function stripSpans(text: string, mentions: readonly PlaceMention[]): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += text.slice(at, m.start);
    at = m.end;
  }
  return out + text.slice(at);
}

function kindWord(family: ReturnType<typeof typeFamily>): string {
  switch (family) {
    case 'primary':
      return '小学';
    case 'middle':
      return '中学';
    case 'university':
      return '高校';
    case 'museum':
      return '场馆';
    default:
      return '试点单位';
  }
}
