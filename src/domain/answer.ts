import { Matcher, type UnitMatch } from './matching/matcher.js';
import { namePart } from './matching/name-part.js';
import { chinaPlaces, type Place, type PlaceIndex, type PlaceMention } from './places.js';
import {
  aboutReply,
  allUnitsReply,
  ambiguousReply,
  citiesReply,
  cityReply,
  contactReply,
  coverage,
  HELP_TEXT,
  notPilotReply,
  pilotReply,
  prefectureStatus,
  UNKNOWN_TEXT,
  unitsReply,
} from './replies.js';
import type { Prefecture, Roster, Unit } from './roster.js';
import { cutText, headText } from './text/cut.js';
import { canonical, simplify } from './text/normalize.js';

export type Intent = 'membership' | 'list_units' | 'contact' | 'about' | 'help' | 'deadlines' | 'unknown';
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

/** One answer, the same for every channel (Telegram, console, CLI). */
export interface Answer {
  readonly intent: Intent;
  readonly verdict?: Verdict;
  readonly matches: readonly MatchEntry[];
  readonly reply: string;
}

const HELP =
  /^(help|帮助|菜单|说明|使用说明|怎么用|如何使用|你能做什么|你会什么|功能|start|开始)$|怎么用|如何使用|能做什么|使用帮助/;
const GREETING = /^(你好|您好|hi|hello|在吗|在不在|谢谢|多谢|感谢|好的|收到|ok|嗯|哦|早上好|晚上好)+$/;
const CONTACT = /联系人|联系方式|联系电话|电话|手机|找谁|问谁|咨询谁|邮箱|email|负责人|对接人/;
const ABOUT =
  /要做什么|做什么|需要做|干什么|做哪些|任务|职责|义务|五大|科普行动是|试点内容|工作内容|营利|盈利|收费|公益|什么要求|有何要求|有什么要求|工作要求|介绍|是什么|什么是|关于试点|保障|支持措施|云平台/;
const LIST = /哪些|哪几|几个|几家|多少|名单|列表|列出|清单|所有|全部|都有|有谁|包括/;
const CITY_WORDS =
  /试点城市|试点市州|城市|市州|地区|试点|名单|是不是|是否|有没有|算不算|属于|吗|呢|的|是|有|在/g;
const LIST_WORDS =
  /试点单位|试点学校|试点城市|单位|学校|哪些|哪几个|哪几家|几个|几家|多少|名单|列表|列出|清单|所有|全部|都有|有谁|包括|共有|一共|总共|请|查看|看看|给我|一下|的|有|是|呢|吗|在/g;

/** Routes free text to an answer using the roster; pure (no I/O, no clock). */
export class Answerer {
  private readonly matcher: Matcher;
  private readonly places: PlaceIndex;

  constructor(
    readonly roster: Roster,
    places: PlaceIndex = chinaPlaces(),
  ) {
    this.places = places;
    this.matcher = new Matcher(roster, places);
  }

  /** Answers one message of free text. */
  answer(text: string): Answer {
    const plain = headText(simplify(text), 400);
    if (!plain || GREETING.test(plain)) return this.help(plain ? 'unknown' : 'unknown');
    if (HELP.test(plain)) return this.help('help');

    const name = namePart(headText(canonical(text), 120));
    const mentions = this.places.findAll(name);
    if (/试点城市/.test(plain) && LIST.test(plain) && !this.gansuPrefectures(mentions).length)
      return this.cities();
    if (LIST.test(plain) || /的试点(单位|学校)$/.test(plain)) {
      const list = this.listFor(name, mentions);
      if (list) return list;
    }
    if (CONTACT.test(plain)) return this.contact();
    if (ABOUT.test(plain)) return this.about(text);

    if (isPlaceOnly(name, mentions, CITY_WORDS)) return this.cityMembership(mentions);
    return this.membership(text, name, mentions);
  }

  /** /check: always a membership question, whatever the words. */
  check(text: string): Answer {
    const name = namePart(headText(canonical(text), 120));
    if (!name)
      return {
        intent: 'help',
        matches: [],
        reply: '请在 /check 后面写上单位名称，例如：/check 民主西路小学',
      };
    const mentions = this.places.findAll(name);
    if (isPlaceOnly(name, mentions, CITY_WORDS)) return this.cityMembership(mentions);
    return this.membership(text, name, mentions);
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
    return { intent: 'list_units', matches, reply: citiesReply(this.roster) };
  }

  contact(): Answer {
    return { intent: 'contact', matches: [], reply: contactReply(this.roster.contacts) };
  }

  about(text = ''): Answer {
    const kind = /校外|科技馆|博物馆|机构|活动中心|公司/.test(simplify(text))
      ? 'out_of_school'
      : /学校|中学|小学|老师|教师/.test(simplify(text))
        ? 'school'
        : undefined;
    return { intent: 'about', matches: [], reply: aboutReply(kind) };
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
    const unit = this.roster.units.find((u) => u.id === unitId);
    if (!unit) return null;
    return {
      intent: 'membership',
      verdict: 'pilot',
      matches: [unitEntry(unit)],
      reply: pilotReply(unit, this.prefecture(unit.prefecture), false),
    };
  }

  private membership(text: string, name: string, mentions: readonly PlaceMention[]): Answer {
    const result: UnitMatch = this.matcher.match(text);
    if (result.verdict === 'pilot') {
      return {
        intent: 'membership',
        verdict: 'pilot',
        matches: [unitEntry(result.unit)],
        reply: pilotReply(result.unit, this.prefecture(result.unit.prefecture), result.caveat),
      };
    }
    if (result.verdict === 'ambiguous') {
      return {
        intent: 'membership',
        verdict: 'ambiguous',
        matches: result.units.map(unitEntry),
        reply: ambiguousReply(text, result.units),
      };
    }
    if (!result.vetoed && !looksLikeName(name, mentions)) return this.help('unknown');
    return {
      intent: 'membership',
      verdict: 'not_pilot',
      matches: [],
      reply: notPilotReply(this.covered(), text, this.placeNotes(mentions), this.roster.contacts[0]),
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
    if (place?.level === 'county' && this.covers(place.province)) {
      const units = this.roster.units.filter((u) => u.county === place.name);
      const reply = units.length
        ? [
            `${place.name}共有 ${units.length} 个试点单位：`,
            ...units.map((u, i) => `${i + 1}. ${u.name}`),
          ].join('\n')
        : `名单中没有标明在${place.name}的试点单位。${prefectureStatus(this.roster, this.prefecture(place.prefecture ?? ''), place.prefecture ?? '')}`;
      return { intent: 'list_units', matches: units.map(unitEntry), reply };
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
