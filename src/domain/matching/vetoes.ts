import type { Place, PlaceMention } from '../places/china.js';
import type { Unit } from '../roster.js';
import type { Hit, MatchVia } from './candidates.js';
import { directionsIn, numbersIn, sameList, typeFamily } from './features.js';
import type { UnitProfile } from './unit-profile.js';

/**
 * What rules a candidate out: words the alias leaves unexplained, a named place that contradicts
 * the unit (or, for a generic core, does not pin it down), and for fuzzy candidates a different
 * ordinal, type family, direction or a dropped identifying character.
 */

type Relation = 'identifies' | 'consistent' | 'contradicts';

/** What the places named around a candidate say about it. */
export type PlaceVerdict = 'veto' | 'identified' | 'consistent' | 'unplaced';

/** The place relation of a mention to a unit: the best over everything the form may mean. */
function relation(mention: PlaceMention, unit: Unit): Relation {
  let best: Relation = 'contradicts';
  for (const place of mention.places) {
    const r = placeRelation(place, unit);
    if (r === 'identifies') return r;
    if (r === 'consistent') best = r;
  }
  return best;
}

function placeRelation(place: Place, unit: Unit): Relation {
  switch (place.level) {
    case 'country':
      return 'consistent';
    case 'province':
      return place.name === unit.province ? 'consistent' : 'contradicts';
    case 'prefecture':
      if (place.name !== unit.prefecture) return 'contradicts';
      return unit.county ? 'consistent' : 'identifies';
    case 'county':
      if (place.prefecture !== unit.prefecture) return 'contradicts';
      if (!unit.county) return 'consistent';
      return place.name === unit.county ? 'identifies' : 'contradicts';
  }
}

/**
 * What the places named around a candidate say: a contradiction vetoes it; for a generic core
 * named bare, places that fit without pinning the unit down veto it too (strict).
 */
export function placeVerdict(
  profile: UnitProfile,
  mentions: readonly PlaceMention[],
  bare: boolean,
): PlaceVerdict {
  const relations = mentions.map((m) => relation(m, profile.unit));
  if (relations.includes('contradicts')) return 'veto';
  // A museum or centre belongs to the level its name carries: 甘肃省地震博物馆 is the province's,
  // not 兰州市地震博物馆. Naming another level without the unit's own is another institution.
  if (
    bare &&
    profile.nameLevel &&
    (profile.family === 'museum' || profile.family === 'centre') &&
    mentions.length &&
    !mentions.some((m) =>
      m.places.some((p) => p.level === profile.nameLevel && placeRelation(p, profile.unit) !== 'contradicts'),
    )
  )
    return 'veto';
  const strict = bare && profile.genericCore;
  // Strict: the place must be the one the official name carries, at the same level. 兰州市科技馆
  // is the city's museum, not 甘肃科技馆 (whose name carries the province).
  const identifies = (m: PlaceMention) =>
    m.places.some(
      (p) => placeRelation(p, profile.unit) === 'identifies' && (!strict || p.level === profile.nameLevel),
    );
  if (mentions.some(identifies)) return 'identified';
  if (!relations.length) return 'unplaced';
  return strict ? 'veto' : 'consistent';
}

/** Words around a name that say nothing about which institution it is. */
const FILLER =
  /我们|咱们|我校|本校|贵校|这个|那个|这所|那所|就是|叫做|全称|名字|今年|现在|目前|请问|一下|老师|学校|单位|的|是|叫|在|位于|属于|里|那|就|也|还|都|吗|呢|啊|吧|嘛|么|不|没|呀|哦|哈|你|您|好|想|问|下|查|帮|我|们|省|市|县|区|州/g;

/** What a hit leaves unexplained in the name: characters outside the alias and outside places, minus filler. */
export function leftover(name: string, hit: Hit, mentions: readonly PlaceMention[]): string {
  let rest = '';
  for (let i = 0; i < name.length; i++) {
    if (i >= hit.start && i < hit.end) continue;
    if (mentions.some((m) => i >= m.start && i < m.end && (m.end <= hit.start || m.start >= hit.end)))
      continue;
    rest += name[i];
  }
  return rest.replace(FILLER, '');
}

/**
 * Whether a fuzzy candidate keeps the name's identity: the same ordinals and type family, the
 * same directions (outside places), and for a shortened spelling every identifying character
 * (兰大附中 is not 兰交大附中). `named` is the name without its places.
 */
export function keepsIdentity(name: string, named: string, profile: UnitProfile, via: MatchVia): boolean {
  if (!sameList(numbersIn(name), profile.numbers)) return false;
  if (typeFamily(name) !== profile.family) return false;
  if (directionsIn(named) !== profile.directions && directionsIn(name) !== directionsIn(profile.canon))
    return false;
  return via !== 'subsequence' || [...profile.stem].every((ch) => name.includes(ch));
}
