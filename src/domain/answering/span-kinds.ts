import type { Span } from '../sentence.js';
import { withoutRanges } from '../text/ranges.js';
import type { RosterLookup } from './roster-lookup.js';
import { LIST_WORDS, VAGUE_WORDS } from './words.js';

/**
 * What a span of a message names: one institution (张掖中学), a vague school of a place or of
 * nobody (静宁县的那个小学, 我们学校), or a place alone (定西).
 */

const BARE_TYPE =
  /^(学校|小|中|大学|学院|单位|幼儿园|中小|中小学|中小学校|中心小|中心学校|集团|教育集团|公司|科技公司|机构)?$/;
/** A number of schools (三所学校, 这两个单位) rather than a school. */
const COUNTED_SCHOOLS = /[两二三四五六七八九十几\d][个所家](?:学校|单位|小学|中学)$/;

/** Whether a span names one institution (not 这个学校, not 静宁县的那个小学). */
export function namesInstitution(lookup: RosterLookup, span: Span): boolean {
  if (!span.headed) return false;
  // 定西的试点学校有哪些: the span is the place alone once the question words are cut off.
  if (isPlaceAlone(lookup, span)) return false;
  // 请帮忙核实三所学校：…: a count of schools introduces names, it is not one.
  if (COUNTED_SCHOOLS.test(span.written)) return false;
  return !isVague(lookup, span);
}

/**
 * A place (or nothing) and a bare kind of school, with a vague or list word between: 静宁县的那个小学,
 * 洮阳镇的小学, 兰州有哪几所学校, 我们学校. A place and a type head alone (张掖中学) is a name.
 */
export function isVague(lookup: RosterLookup, span: Span): boolean {
  // Townships of the roster first: 兴国镇 is a town of 秦安县, not 兴国县 of Jiangxi.
  const town = lookup.withoutTowns(span.name);
  const mentions = lookup.places.findAll(town);
  const rest = withoutRanges(town, mentions);
  const placed = mentions.length > 0 || town !== span.name;
  const bare = rest.replace(VAGUE_WORDS, '').replace(LIST_WORDS, '');
  return BARE_TYPE.test(bare) && (!placed || bare !== rest);
}

/** Whether a span names a place (a town of the roster or any place of China). */
export function placeOf(lookup: RosterLookup, span: Span): boolean {
  return lookup.places.findAll(span.name).length > 0 || lookup.townsIn(span.name).length > 0;
}

/** A span that is nothing but places (定西, 临洮县洮阳镇). */
function isPlaceAlone(lookup: RosterLookup, span: Span): boolean {
  const rest = lookup.withoutTowns(span.name);
  const mentions = lookup.places.findAll(rest);
  return mentions.length > 0 && withoutRanges(rest, mentions) === '';
}
