import type { PlaceMention } from '../places/china.js';
import { allUnitsReply, cityReply, prefectureStatus, unitsReply } from '../replies.js';
import { cutText } from '../text/cut.js';
import { canonical } from '../text/normalize.js';
import { withoutRanges } from '../text/ranges.js';
import { isPlaceOnly, mostSpecific } from './place-mentions.js';
import type { RosterLookup } from './roster-lookup.js';
import { type Answer, cityEntry, notPilot, unitEntry } from './types.js';
import { vaguePlace } from './vague-place.js';
import { CITY_WORDS, LIST, LIST_WORDS } from './words.js';

/**
 * Questions about a place rather than a school: is this city (county, province) a pilot, which
 * units does it have, is it covered at all, and the notes a "not listed" answer adds about the
 * place a school is in.
 */

const PROVINCE_ONLY = /^(咱们|我们)?(全省|我省|本省|咱省|甘肃|甘肃省)|^(咱们|我们)省|^省(里|内)/;
/** Words of a province question besides the province: 甘肃省是不是试点省份, 甘肃的试点情况说一下. */
const PROVINCE_WORDS =
  /试点省份|试点省|省份|情况|说一下|介绍一下|讲一下|怎么样|入选了|入选|评上|几个|多少|一共|总共|共有|咱们|我们/g;

/** Whether a place is a pilot city: a covered county is not (its prefecture may be); others are out of scope. */
export function cityMembership(lookup: RosterLookup, mentions: readonly PlaceMention[]): Answer {
  const place = mostSpecific(mentions);
  const prefecture = lookup.prefecturesIn(mentions).at(-1);
  if (place && place.level === 'county' && lookup.covers(place.province)) {
    const pref = lookup.prefecture(place.prefecture ?? '');
    const inCounty = lookup.roster.units.filter((u) => u.county === place.name);
    const lines = [
      `❌ ${place.name}不是单独的试点城市（区、县）。`,
      prefectureStatus(lookup.roster, pref, place.prefecture ?? ''),
      inCounty.length
        ? `${place.name}的试点单位：${inCounty.map((u) => u.name).join('、')}。`
        : `名单中没有标明在${place.name}的试点单位。`,
    ];
    return notPilot(lines.join('\n'));
  }
  if (prefecture) {
    const reply = cityReply(lookup.roster, prefecture);
    if (prefecture.pilotCity) {
      return { intent: 'membership', verdict: 'pilot', matches: [cityEntry(prefecture)], reply };
    }
    return notPilot(reply);
  }
  const label = place?.name ?? '这个地方';
  const inGansu = place !== undefined && lookup.covers(place.province);
  return notPilot(
    inGansu
      ? `❌ ${label}不是试点城市，也没有试点单位。\n${place?.province}试点城市：${lookup.pilotCities(place?.province).join('、')}。`
      : `❌ ${label}不在本助手收录的名单中（本助手收录：${lookup.covered()}）；其他省份请咨询全国联系人。`,
  );
}

/** /units: the units of one prefecture (or all, for 甘肃/empty). */
export function unitsOf(lookup: RosterLookup, text: string): Answer {
  const name = canonical(text);
  if (!name || /^甘肃省?$/.test(name)) {
    return {
      intent: 'list_units',
      matches: lookup.roster.units.map(unitEntry),
      reply: allUnitsReply(lookup.roster),
    };
  }
  return (
    listFor(lookup, name, lookup.places.findAll(name)) ?? {
      intent: 'list_units',
      matches: [],
      reply: `没有找到市州「${cutText(text.trim(), 20)}」。有试点单位的市州：${lookup.roster.prefectures.map((p) => p.name).join('、')}。\n例如：/units 兰州`,
    }
  );
}

/** The list a place-only question asks for (兰州有哪些试点学校): its prefecture's, county's or province's. */
export function listFor(
  lookup: RosterLookup,
  name: string,
  mentions: readonly PlaceMention[],
): Answer | null {
  if (!isPlaceOnly(name, mentions, LIST_WORDS)) return null;
  const place = mostSpecific(mentions);
  if (place?.level === 'province' && lookup.covers(place.name)) return unitsOf(lookup, '');
  const prefecture = lookup.prefecturesIn(mentions).at(-1);
  if (prefecture) {
    const units = lookup.roster.units.filter((u) => u.prefecture === prefecture.name);
    return {
      intent: 'list_units',
      matches: units.map(unitEntry),
      reply: unitsReply(lookup.roster, prefecture),
    };
  }
  // A county's list is a question about candidates (静宁县有哪几个试点学校): one button each.
  if (place?.level === 'county' && lookup.covers(place.province)) {
    const vague = vaguePlace(lookup, name);
    if (vague) return vague;
  }
  if (place) {
    return {
      intent: 'list_units',
      matches: [],
      reply: `${place.name}不在本助手收录的范围内（本助手收录：${lookup.covered()}）。`,
    };
  }
  return null;
}

/** A question about the covered province as a whole (全省有哪些试点, 甘肃省是不是试点省份). */
export function isProvinceQuestion(
  lookup: RosterLookup,
  plain: string,
  name: string,
  mentions: readonly PlaceMention[],
): boolean {
  if (PROVINCE_ONLY.test(plain) && !lookup.prefecturesIn(mentions.slice(1)).length) {
    const place = mostSpecific(mentions);
    if (!place || (place.level === 'province' && lookup.covers(place.name))) {
      const rest = withoutRanges(name, mentions).replace(
        /全省|我省|本省|咱省|省里|省内|^(咱们|我们)?省/g,
        '',
      );
      return (
        rest.replace(PROVINCE_WORDS, '').replace(LIST_WORDS, '').replace(CITY_WORDS, '') === '' ||
        LIST.test(plain)
      );
    }
  }
  return false;
}

/** A question about a province or prefecture this roster does not cover (四川省有哪些试点城市). */
export function outsideScope(lookup: RosterLookup, mentions: readonly PlaceMention[]): Answer | null {
  const named = mentions.flatMap((m) => {
    const levels = m.places.filter((p) => p.level === 'province' || p.level === 'prefecture');
    return levels.length === m.places.length ? [levels] : [];
  });
  if (!named.length || named.some((places) => places.some((p) => lookup.covers(p.province)))) return null;
  const place = named[0]![0]!;
  const national = lookup.roster.contacts.find((c) => c.level === 'national');
  return notPilot(
    [
      `❌ 本助手只收录${lookup.covered()}的名单，没有${place.name}的。`,
      national
        ? `${place.name}的试点情况请咨询全国联系人${national.person}（${national.phone}）。`
        : `${place.name}的试点情况请咨询全国联系人。`,
    ].join('\n'),
  );
}

/** What a "not listed" answer says about the place named: out of scope, or its prefecture's status. */
export function placeNotes(lookup: RosterLookup, mentions: readonly PlaceMention[]): string[] {
  const notes: string[] = [];
  const place = mostSpecific(mentions);
  if (!place) return notes;
  if (!lookup.covers(place.province)) {
    notes.push(`本助手收录的是${lookup.covered()}的名单；${place.name}不在其中。`);
    return notes;
  }
  if (place.prefecture)
    notes.push(prefectureStatus(lookup.roster, lookup.prefecture(place.prefecture), place.prefecture));
  return notes;
}
