import { namePart } from './matching/name-part.js';
import { chinaPlaces, type PlaceMention } from './places/china.js';
import { headText } from './text/cut.js';
import { canonical, simplify } from './text/normalize.js';

/**
 * Reads a message into the institutions it names, in the order written: 我在张掖二中，离张掖中学很近
 * names 张掖二中 (asked about) and 张掖中学 (context). Each span is one question for the matcher,
 * which then has to explain the whole span (see MATCHING.md, "Whole sentences").
 */
export interface Span {
  /** Canonical text of the span (the name, without question words around it). */
  readonly name: string;
  /** The span as the user wrote it (simplified, punctuation kept out), for quoting back. */
  readonly written: string;
  /** Named only as context or contrast (离X很近, X旁边的Y, 不是问X). */
  readonly context: boolean;
  /** The span ends in a type head (中学, 学校, 科技馆, ...): it names an institution. */
  readonly headed: boolean;
  /** Its status is stated, not asked (张掖中学是试点，那…): context when something else is asked. */
  readonly stated: boolean;
  /** Index of the clause it stands in. */
  readonly clause: number;
}

/** Type heads an institution span ends in (as written: 中学, 二中, 实验小学). */
const HEAD =
  /(中学|小学|中|小|学校|大学|学院|科技馆|博物馆|纪念馆|图书馆|少年宫|馆|中心|幼儿园|初中部|高中部|小学部|分校|校区|附中|附小|九年制|集团|公司|师大|交大|民大|工大|农大|医大|财大|科大|兰大|实小|初中|高中|完小|学堂)$/;

/** Whether a text ends in an institution's type head (…中学, …科技馆): it reads as a name. */
export function endsInTypeHead(text: string): boolean {
  return HEAD.test(text);
}

/** Clause breaks: punctuation. Spaces break a clause only after a complete name (雁宁路 小学 is one). */
const CLAUSE = /[，,。．.！!？?；;：:、\n\r…~～]+/;

/** A word that says something about the name before it rather than starting a new one. */
const STATUS_WORD = /^(?:是|不是|算|不算|也是|都是|在|不在|属于|有没有|吗|呢|嘛)/;

function byWords(clause: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of clause.split(/\s+/).filter(Boolean)) {
    // A word that states or asks the status continues the clause (西北师大 是试点那我们也是吗).
    if (current && HEAD.test(simplify(current)) && !STATUS_WORD.test(word)) {
      out.push(current);
      current = word;
    } else current += word;
  }
  if (current) out.push(current);
  return out;
}

/** After these, the next name is context. */
const CONTEXT_BEFORE = new Set(['离', '不是问', '不问', '不是', '除了']);
/** These contrast words split wherever they stand (我们不是A, 我们离A不远). */
const ALWAYS_SPLIT = new Set(['离', '不是问', '不问', '不是']);
/** Before these, the previous name is context (A旁边的B: B is asked about). */
const CONTEXT_AFTER = new Set([
  '旁边的',
  '旁边',
  '附近的',
  '附近',
  '隔壁的',
  '隔壁',
  '对面的',
  '对面',
  '边上的',
]);
/** After these, the next name is the one asked about, and what came before it was context. */
const ASKED_AFTER = new Set([
  '我问的是',
  '问的是',
  '而是',
  '我问',
  '调到了',
  '调到',
  '转到',
  '换到',
  '调去',
  '转去',
]);

/**
 * Words that join or contrast two names. Strong ones always split; weak ones (和, 与, 不是) only
 * after a complete institution name, since they also occur inside names (和政县, 和平街小学).
 */
const STRONG = new Set([
  ...CONTEXT_AFTER,
  ...ASKED_AFTER,
  '除了',
  '不是问',
  '不问',
  '以及',
  '还有',
  '或者',
  '还是',
]);
const WEAK = ['和', '与', '及', '跟', '同', '或', '不是', '离'];
/** Every connector, longest first so that 旁边的 wins over 旁边 and 不是问 over 不是. */
const CONNECTOR = new RegExp(`(${[...STRONG, ...WEAK].sort((a, b) => b.length - a.length).join('|')})`, 'g');

/**
 * After a name, a statement of its status rather than a question (A是试点，那B呢; A不是的话; A我知道是;
 * A就不用查了): A is context for the question that follows.
 */
const STATEMENT =
  /^(?:我知道|我们知道|已经|肯定|确实|也|都)?(?:是|不是|算|不算)(?:试点)?(?:单位|学校)?(?:了|的|的话|吧|哈)?$|^(?:我知道是|就不用查了|不用查了|不用问了|知道是)/;
const QUESTION = /吗|呢|么|嘛|是不是|算不算|有没有|哪个|[不没]$/;
/** After a name: it is named as a landmark (A旁边, 离A很近). */
const NEAR = /旁边|附近|对面|隔壁|边上|很近|挺近|不远/;
/** Right after a name: the question is put about it (B问一下他们是不是试点). */
const ASKS_ABOUT = /^(?:问一下|问问|问下)/;

const CONNECTOR_CHAR = /[离和与及跟同或]/;

/** Words before a name that end the wrapper around it: 我孩子在|金昌二小, 我们学校叫|… */
const LEAD =
  /(?:我在|在|就是|叫做|叫|是|我问|问|读|上学于|就读于|工作于|任教于|来自|从|知道|确认|了解|看看|查查)/g;

/** What may follow a name in a question without being part of it: 上学, 很近, 今年是不是试点. */
const TAIL =
  /^(?:(?:的)?(?:学生家长|学生|家长|老师|教师|校长|同学|职工|员工|工作人员|孩子)|(?:这|那)?[两三四五六七八九十几\d]?(?:个|所|家)(?:学校|单位)?|(?:(?:上|读|念|在读)(?:小学|初中|高中|初|高)?|小学|初中|高中|初|高)[一二三四五六](?:年级)?|[一二三四五六]年级|的(?:我们|咱们)(?:学校|单位)?|哪几个|哪几所|哪些|哪个|哪一个|哪所|哪一所|哪家|来着|本身|本部|上班|教书|上学|读书|念书|上课|工作|任教|教书|很近|挺近|不远|附近|旁边|对面|隔壁|今年|现在|目前|这个学校|这所学校|这个|这所|到底|究竟|真的|算不算|是不是|有没有|在不在|能不能|可不可以|有试点吗|有没有试点|有吗|有|属于|入选|列入|进入|成为|试点单位|试点学校|试点|单位|名单|里面|之一|一个|问一下|问问|他们|她们|进去|得上|可以|能|也|还|都|就|是|算|在|的|了|吗|呢|嘛|么|吧|啊|呀|没|不|里|中|那|个)*$/;

/** The name cut after its last type head, when only question words follow (金昌二小|上学). */
function trimToHead(name: string): { name: string; headed: boolean } {
  // The shortest name whose tail is only question words: 兰州五十二中|这三个学校, not the whole.
  for (let end = 2; end <= name.length; end++) {
    const prefix = name.slice(0, end);
    if (HEAD.test(prefix) && TAIL.test(name.slice(end))) return { name: prefix, headed: true };
  }
  return { name, headed: false };
}

function trimLead(name: string): string {
  let cut = 0;
  for (const m of name.matchAll(LEAD)) {
    const rest = name.slice(m.index + m[0].length);
    if (rest.length >= 2 && HEAD.test(rest)) cut = m.index + m[0].length;
  }
  return name.slice(cut);
}

/** The name inside a piece of a clause, or '' when it names nothing. */
function nameIn(piece: string): { name: string; headed: boolean } {
  const core = dropThat(namePart(piece));
  const { name, headed } = trimToHead(core);
  return { name: headed ? namePart(trimLead(name)) || name : name, headed };
}

/** 那五泉中学呢 → 五泉中学; 那曲市, 那坡县 keep their 那. */
function dropThat(text: string): string {
  const m = /^那么?/.exec(text);
  if (!m) return text;
  const first = chinaPlaces().findAll(text)[0];
  return first?.start === 0 ? text : text.slice(m[0].length);
}

interface Piece {
  text: string;
  before: string;
  after: string;
}

/**
 * Whether a connector that starts a place joins two names after all: a complete name of one
 * province before it, a complete name after it, and the place (和康县, Xinjiang) in another province.
 */
function joinsTwoNames(left: string, right: string, at: PlaceMention): boolean {
  if (!nameIn(left).headed || !nameIn(right).headed) return false;
  const provinces = new Set(
    chinaPlaces()
      .findAll(left)
      .flatMap((m) => m.places.map((p) => p.province)),
  );
  return provinces.size > 0 && !at.places.some((p) => provinces.has(p.province));
}

function piecesOf(clause: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  let before = '';
  // A connector that starts a place name (离石区, 和政县, 同心县) joins nothing, unless a whole name
  // stands before it and another place starts right after it (临夏中学和康乐中学, not 和康县).
  const places = CONNECTOR_CHAR.test(clause) ? chinaPlaces().findAll(clause) : [];
  for (const m of clause.matchAll(CONNECTOR)) {
    const left = clause.slice(start, m.index);
    const at = places.find((p) => p.start === m.index);
    if (at && !joinsTwoNames(left, clause.slice(m.index + m[0].length), at)) continue;
    const strong = STRONG.has(m[0]);
    if (!strong && !ALWAYS_SPLIT.has(m[0]) && !nameIn(left).headed) continue;
    pieces.push({ text: left, before, after: m[0] });
    before = m[0];
    start = m.index + m[0].length;
  }
  pieces.push({ text: clause.slice(start), before, after: '' });
  return pieces;
}

/**
 * The name a span starts with when unknown words follow it (张掖中学|今天开会吗): the text up to its
 * last type head, or null when nothing is left after it or what follows continues the name (分, 附, 二).
 */
export function leadingName(span: Span): string | null {
  for (let end = span.written.length - 1; end >= 2; end--) {
    const prefix = span.written.slice(0, end);
    const rest = span.written.slice(end);
    // Only the last type head counts, and only a whole one (not 中 of 中学).
    if (HEAD.test(prefix) && !/^[学校]/.test(rest))
      return /^[附分属部第\d一二三四五六七八九十东西南北新老初高]/.test(rest) ? null : prefix;
  }
  return null;
}

/** Every span a message names, in order; [] when it names no institution. */
export function readSpans(text: string): Span[] {
  const spans: Span[] = [];
  const clauses = headText(text.normalize('NFKC'), 400).split(CLAUSE).flatMap(byWords);
  for (const [index, clause] of clauses.entries()) {
    const plain = simplify(clause);
    if (!plain) continue;
    const pieces = piecesOf(plain);
    let askedFrom = -1;
    pieces.forEach((piece, i) => {
      const { name, headed } = nameIn(piece.text);
      if (!name) return;
      if (ASKED_AFTER.has(piece.before)) askedFrom = spans.length;
      // A旁边的B: A is context; 我们旁边就是B (nothing named before 旁边): B is.
      const prev = pieces[i - 1];
      const context =
        CONTEXT_BEFORE.has(piece.before) ||
        CONTEXT_AFTER.has(piece.after) ||
        (CONTEXT_AFTER.has(piece.before) && prev !== undefined && !nameIn(prev.text).headed);
      const at = plain.lastIndexOf(name);
      const tail = at >= 0 ? plain.slice(at + name.length) : '';
      const stated = headed && STATEMENT.test(tail) && !QUESTION.test(tail);
      // 我们学校在张掖中学旁边，是试点吗: a name followed by 旁边/很近 is where the asker is not.
      const near = headed && NEAR.test(tail);
      // 我是A的老师，想替B问一下: the name the question is put about (B问…) is the one asked,
      // whatever came before it.
      if (headed && ASKS_ABOUT.test(tail)) {
        for (let j = 0; j < spans.length; j++) spans[j] = { ...spans[j]!, context: true };
        spans.push({ name: canonical(name), written: name, context: false, headed, stated, clause: index });
        return;
      }
      spans.push({
        name: canonical(name),
        written: name,
        context: context || near,
        headed,
        stated,
        clause: index,
      });
    });
    // 不是A而是B / 我不是问A，我问B: everything before the asked name is context.
    if (askedFrom > 0) for (let i = 0; i < askedFrom; i++) spans[i] = { ...spans[i]!, context: true };
  }
  // A stated status is context when a name in another clause is asked about.
  return spans.map((s) =>
    s.stated && spans.some((o) => o.headed && !o.stated && !o.context && o.clause !== s.clause)
      ? { ...s, context: true }
      : s,
  );
}
