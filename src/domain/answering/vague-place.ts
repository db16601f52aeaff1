import { typeFamily } from '../matching/features.js';
import { prefectureStatus, vagueReply } from '../replies.js';
import type { Unit } from '../roster.js';
import { canonical } from '../text/normalize.js';
import { mostSpecific } from './place-mentions.js';
import type { RosterLookup } from './roster-lookup.js';
import { type Answer, notPilot, unitEntry } from './types.js';
import { VAGUE_WORDS } from './words.js';

/**
 * The listed units of a vaguely named place (静宁县的那个小学 → 静宁县's units, narrowed to its
 * primary or middle schools when the kind is named): the town of the roster, else the county,
 * else the prefecture; null without a place.
 */
export function vaguePlace(lookup: RosterLookup, name: string): Answer | null {
  const mentions = lookup.places.findAll(name).map((m) => {
    const local = m.places.filter((p) => lookup.covers(p.province));
    return local.length ? { ...m, places: local } : m;
  });
  const place = mostSpecific(mentions);
  let units: Unit[] = [];
  let label = '';
  const town = lookup.townsIn(name).sort((a, b) => b.length - a.length)[0];
  if (town) {
    units = lookup.towns.get(town) ?? [];
    label = town;
  } else if (place?.level === 'county' && lookup.covers(place.province)) {
    units = lookup.roster.units.filter((u) => u.county === place.name);
    label = place.name;
  } else {
    const pref = lookup.prefecturesIn(mentions).at(-1);
    if (pref) {
      units = lookup.roster.units.filter((u) => u.prefecture === pref.name);
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
    const prefecture = place?.prefecture ?? '';
    return notPilot(
      `❌ 名单中没有${label}的${kindWord(family)}。\n${prefectureStatus(lookup.roster, lookup.prefecture(prefecture), place?.prefecture ?? label)}`,
    );
  }
  return {
    intent: 'membership',
    verdict: 'ambiguous',
    matches: shown.map(unitEntry),
    reply: vagueReply(label, kind, shown),
  };
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
