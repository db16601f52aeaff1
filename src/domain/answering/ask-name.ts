import { ASK_NAME_TEXT } from '../replies.js';
import { NEAR, type Span } from '../sentence.js';
import { askName } from './general.js';
import { contextNotes } from './one-name.js';
import type { RosterLookup } from './roster-lookup.js';
import { isVague, placeOf } from './span-kinds.js';
import type { Answer } from './types.js';

/**
 * Membership questions about a school they do not name: the asker's own (我们学校是试点吗), or one
 * described by a landmark (A旁边那个小学, 我们学校在A旁边). The answer asks for the name.
 */

/** Words that ask about membership without naming anyone: 我们学校是试点吗. */
const NO_NAME =
  /^(我们|咱们|我|我的|我校|本校|我单位|本单位|我们单位|我们的|这个|这所|那个|那所|你们|贵|孩子|孩子的|我家孩子的?)*(学校|单位|学校们|机构|幼儿园|学院)?(是|算|在|属于|是不是|算不算|有没有|在不在|能不能|可以)*(试点|名单|试点单位|试点学校)?/;

/**
 * The request for the name when the schools named are only landmarks: A旁边那个小学是试点吗 (the
 * school asked about is not named, A is context) or 我们学校在张掖中学旁边，是试点吗. Each listed
 * landmark gets a line with its true status. Null when a named school is the one asked about.
 */
export function landmarksOnly(
  lookup: RosterLookup,
  spans: readonly Span[],
  named: readonly Span[],
  plain: string,
): Answer | null {
  if (!named.length) return null;
  const unnamedAsked = spans.some((s) => s.headed && !s.context && isVague(lookup, s) && !placeOf(lookup, s));
  if (!unnamedAsked && !(named.every((s) => s.context) && NEAR.test(plain))) return null;
  const notes = contextNotes(lookup, named);
  return { ...askName(), reply: [ASK_NAME_TEXT, ...notes].join('\n') };
}

/** Whether a message asks about the asker's school without naming it (我们学校是试点吗, 这个单位算不算). */
export function namesNobody(lookup: RosterLookup, name: string, spans: readonly Span[]): boolean {
  if (spans.some((s) => s.headed && isVague(lookup, s) && !placeOf(lookup, s))) return true;
  const m = NO_NAME.exec(name);
  return Boolean(m && m[0] === name && /学校|单位|我们|我校|本校|咱们|机构/.test(name));
}
