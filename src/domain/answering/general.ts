import {
  ASK_NAME_TEXT,
  aboutReply,
  citiesReply,
  contactReply,
  dutiesReply,
  feeReply,
  GREETING_TEXT,
  HELP_TEXT,
  nationalReply,
  provinceReply,
  UNKNOWN_TEXT,
} from '../replies.js';
import type { Roster } from '../roster.js';
import { simplify } from '../text/normalize.js';
import { type Answer, cityEntry, type MatchEntry } from './types.js';

/**
 * Answers that name no school: help, greetings, a request for the school's name, contacts, the
 * programme itself (duties, fees), the pilot cities and the province or national programme.
 */

/** What a pilot has to do: duties, actions, activities, materials. */
export const DUTIES =
  /要做什么|做什么|做些什么|干些什么|要做啥|需要做|干什么|做哪些|任务|职责|义务|要求|要干啥|干啥|干嘛|开展|哪些工作|活动|参加|材料|要交|交什么|报告|五大|哪五|行动|工作内容|试点内容/;

export function help(intent: 'help' | 'unknown' = 'help'): Answer {
  return { intent, matches: [], reply: intent === 'help' ? HELP_TEXT : UNKNOWN_TEXT };
}

export function greeting(): Answer {
  return { intent: 'greeting', matches: [], reply: GREETING_TEXT };
}

export function askName(): Answer {
  return { intent: 'ask_name', matches: [], reply: ASK_NAME_TEXT };
}

export function contact(roster: Roster): Answer {
  return { intent: 'contact', matches: [], reply: contactReply(roster.contacts) };
}

/** /about and duty or fee questions: the question asked answered first, /about for the rest. */
export function about(text = '', topic?: 'fee'): Answer {
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

function pilotCities(roster: Roster): MatchEntry[] {
  return roster.prefectures.filter((p) => p.pilotCity).map(cityEntry);
}

export function cities(roster: Roster): Answer {
  return { intent: 'cities', matches: pilotCities(roster), reply: citiesReply(roster) };
}

/** 甘肃/全省: the province's cities and units; 全国: the national programme. */
export function province(roster: Roster, scope: 'gansu' | 'national'): Answer {
  const reply = scope === 'national' ? nationalReply(roster) : provinceReply(roster);
  return { intent: 'province', scope, matches: scope === 'gansu' ? pilotCities(roster) : [], reply };
}
