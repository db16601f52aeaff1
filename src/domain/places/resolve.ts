import { closestName } from './closest.js';
import { placeForms } from './forms.js';
import { type PlaceHierarchy, type ProvincePlaces, placeHierarchy } from './hierarchy.js';

/**
 * Resolving a written province, prefecture or county to its canonical name, level by level, the
 * way a roster row names them (甘肃, 兰州, 城关 → 甘肃省, 兰州市, 城关区). When a name does not
 * resolve, the result says why, so the caller can tell the person what to write instead.
 */

export type Resolved<Problem> =
  | { readonly ok: true; readonly name: string }
  | { readonly ok: false; readonly problem: Problem };

/** Nothing close enough to be the place meant; `guess` is the nearest name, if any is near. */
export interface Unknown {
  readonly kind: 'unknown';
  readonly guess: string | null;
}

/** The form stands for several places of the level asked for. */
export interface Ambiguous {
  readonly kind: 'ambiguous';
  readonly names: readonly string[];
}

export type PrefectureProblem =
  | Ambiguous
  /** The text is a county (of `prefecture`), not a prefecture. */
  | { readonly kind: 'county'; readonly prefecture: string }
  /** The text is a prefecture of other provinces. */
  | { readonly kind: 'other_province'; readonly provinces: readonly string[] }
  | Unknown;

export type CountyProblem =
  | Ambiguous
  /** The text is a county of other prefectures of the same province. */
  | { readonly kind: 'other_prefecture'; readonly prefectures: readonly string[] }
  | Unknown;

/** A province from any of its forms (甘肃 → 甘肃省). */
export function resolveProvince(text: string, tree: PlaceHierarchy = placeHierarchy()): Resolved<Unknown> {
  const name = tree.province(text);
  if (name) return { ok: true, name };
  return { ok: false, problem: { kind: 'unknown', guess: closestName(text, tree.provinceNames) } };
}

/** A prefecture of a (canonical) province: 兰州, 兰州市 or 甘肃省兰州市 → 兰州市. */
export function resolvePrefecture(
  text: string,
  province: string,
  tree: PlaceHierarchy = placeHierarchy(),
): Resolved<PrefectureProblem> {
  const info = provinceOf(tree, province);
  const found = byForm(info.prefectureForms, text, info.name);
  if (found) return found;
  const county = single(new Set(info.anyCounty.get(text)?.map((c) => c.prefecture)));
  if (county) return { ok: false, problem: { kind: 'county', prefecture: county } };
  const elsewhere = tree.prefectureHome.get(text);
  if (elsewhere?.size) return { ok: false, problem: { kind: 'other_province', provinces: [...elsewhere] } };
  return { ok: false, problem: { kind: 'unknown', guess: closestName(text, info.prefectureNames) } };
}

/** A county of a (canonical) prefecture of a province: 城关 in 兰州市 → 城关区. */
export function resolveCounty(
  text: string,
  prefecture: string,
  province: string,
  tree: PlaceHierarchy = placeHierarchy(),
): Resolved<CountyProblem> {
  const info = provinceOf(tree, province);
  const forms = info.countyForms.get(prefecture);
  const found = forms ? byForm(forms, text, info.name) : null;
  if (found) return found;
  // A county-level city standing as its own prefecture (济源市) may repeat itself as the county.
  if (info.prefectureForms.get(text)?.has(prefecture) && !forms?.size) return { ok: true, name: prefecture };
  const homes = info.anyCounty.get(text);
  if (homes?.length) {
    const prefectures = [...new Set(homes.map((h) => h.prefecture))];
    return { ok: false, problem: { kind: 'other_prefecture', prefectures } };
  }
  const names = [...new Set([...(forms?.values() ?? [])].flatMap((s) => [...s]))];
  return { ok: false, problem: { kind: 'unknown', guess: closestName(text, names) } };
}

function provinceOf(tree: PlaceHierarchy, province: string): ProvincePlaces {
  const info = tree.provinces.get(province);
  if (!info) throw new RangeError(`not a canonical province: ${province}`);
  return info;
}

/**
 * The place a form map gives for the text, as written or after its province (甘肃省兰州市 →
 * 兰州市): the one name, or the several it is ambiguous between; null when the map has neither.
 */
function byForm(
  forms: ReadonlyMap<string, Set<string>>,
  text: string,
  province: string,
): Resolved<Ambiguous> | null {
  const stripped = stripProvince(text, province);
  const hit = forms.get(text) ?? (stripped ? forms.get(stripped) : undefined);
  const name = single(hit);
  if (name) return { ok: true, name };
  if (hit && hit.size > 1) return { ok: false, problem: { kind: 'ambiguous', names: [...hit] } };
  return null;
}

function single(set: Set<string> | undefined): string | null {
  return set && set.size === 1 ? ([...set][0] ?? null) : null;
}

/** 甘肃省兰州市 → 兰州市 (and 甘肃兰州 → 兰州); null when the text does not start with the province. */
function stripProvince(text: string, province: string): string | null {
  for (const form of placeForms(province, 'province')) {
    if (text.startsWith(form) && text.length > form.length) return text.slice(form.length);
  }
  return null;
}
