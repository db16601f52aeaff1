import { chinaPlaces, type Place } from './china.js';
import { placeForms } from './forms.js';

/**
 * The places of China as a tree: provinces, their prefectures and each prefecture's counties, every
 * level reachable by any of its forms. Where the national index answers "what may 临洮 be", the tree
 * answers "which prefecture of 甘肃省 is 兰州" and "which county of 兰州市 is 城关".
 */

export interface CountyHome {
  readonly county: string;
  readonly prefecture: string;
}

export interface ProvincePlaces {
  readonly name: string;
  /** form → canonical prefecture names (more than one when the form is ambiguous). */
  readonly prefectureForms: Map<string, Set<string>>;
  readonly prefectureNames: string[];
  /** prefecture → (form → canonical county names). */
  readonly countyForms: Map<string, Map<string, Set<string>>>;
  /** form → every county of the province it may stand for (to say which prefecture it is in). */
  readonly anyCounty: Map<string, CountyHome[]>;
}

const DIRECT_COUNTIES = /^(省直辖县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

export class PlaceHierarchy {
  readonly provinceForms = new Map<string, string>();
  readonly provinceNames: string[] = [];
  readonly provinces = new Map<string, ProvincePlaces>();
  /** Prefecture form → provinces where it is a prefecture (to say "成都市 is in 四川省"). */
  readonly prefectureHome = new Map<string, Set<string>>();

  constructor(places: readonly Place[]) {
    for (const p of places.filter((x) => x.level === 'province')) {
      this.provinceNames.push(p.name);
      for (const form of placeForms(p.name, 'province')) this.provinceForms.set(form, p.name);
      this.provinces.set(p.name, {
        name: p.name,
        prefectureForms: new Map(),
        prefectureNames: [],
        countyForms: new Map(),
        anyCounty: new Map(),
      });
    }
    const addPrefecture = (province: string, name: string) => {
      const info = this.provinces.get(province);
      if (!info || info.prefectureNames.includes(name)) return;
      info.prefectureNames.push(name);
      for (const form of placeForms(name, 'prefecture')) {
        addTo(info.prefectureForms, form, name);
        const homes = this.prefectureHome.get(form) ?? new Set<string>();
        homes.add(province);
        this.prefectureHome.set(form, homes);
      }
    };
    for (const p of places) if (p.level === 'prefecture') addPrefecture(p.province, p.name);
    for (const p of places) {
      if (p.level !== 'county' || !p.prefecture) continue;
      // County-level cities directly under the province (济源市, 仙桃市) stand as prefectures.
      const prefecture = DIRECT_COUNTIES.test(p.prefecture) ? p.name : p.prefecture;
      if (prefecture === p.name) addPrefecture(p.province, p.name);
      const info = this.provinces.get(p.province);
      if (!info) continue;
      const forms = info.countyForms.get(prefecture) ?? new Map<string, Set<string>>();
      info.countyForms.set(prefecture, forms);
      for (const form of placeForms(p.name, 'county')) {
        addTo(forms, form, p.name);
        const homes = info.anyCounty.get(form) ?? [];
        homes.push({ county: p.name, prefecture });
        info.anyCounty.set(form, homes);
      }
    }
  }

  /** The canonical province a form names (甘肃 → 甘肃省), or null. */
  province(value: string): string | null {
    return this.provinceForms.get(value) ?? null;
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

let shared: PlaceHierarchy | null = null;

/** The tree of every place the national index holds, built once on first use. */
export function placeHierarchy(): PlaceHierarchy {
  shared ??= new PlaceHierarchy(chinaPlaces().places);
  return shared;
}

/** The canonical name of a province from any of its forms (甘肃 → 甘肃省), or null. */
export function canonicalProvince(text: string): string | null {
  return placeHierarchy().province(text.normalize('NFKC').trim());
}
