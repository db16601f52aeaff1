import { areaList } from '@vant/area-data';
import { type PlaceLevel, placeForms } from './forms.js';

/**
 * Administrative places of China (GB/T 2260, from @vant/area-data) with their short forms, so the
 * bot can tell that 临洮县 lies in 定西市 and that 北京市第五十二中学 is not in 兰州.
 */

export interface Place {
  readonly code: string;
  readonly name: string;
  readonly level: PlaceLevel;
  readonly province: string;
  /** Prefecture name for prefectures and counties (for municipalities: the municipality). */
  readonly prefecture: string | null;
}

/** A place form found in a text, with every place it can stand for. */
export interface PlaceMention {
  readonly form: string;
  readonly start: number;
  readonly end: number;
  readonly places: readonly Place[];
}

const JUNK = /^(省直辖县|县|市辖区|自治区直辖县级行政区划|省直辖县级行政区划)$/;

/**
 * Two-character short forms that are also everyday words or generic school-name parts; they are
 * only recognised in their full form (城关区, 和平区), never bare.
 */
const AMBIGUOUS_SHORT = new Set([
  '城关',
  '城区',
  '郊区',
  '矿区',
  '新区',
  '新城',
  '和平',
  '长安',
  '平安',
  '光明',
  '永和',
  '东区',
  '西区',
  '南区',
  '北区',
  '中区',
  '城中',
  '城东',
  '城西',
  '城南',
  '城北',
  '开发',
  '高新',
  '江北',
  '南关',
  '北关',
  '西关',
  '东关',
  '白沙',
  '中山',
  '宝山',
  '朝阳',
  '红旗',
  '东方',
  '人民',
  '解放',
  '建设',
  '新华',
  '文化',
  '和政',
  '康乐',
  '合作',
  '团结',
  '胜利',
  '东风',
  '前进',
  '金山',
  '青山',
  '铁西',
  '铁东',
]);

/** A place name that two or more places of China bear, so a school named after it is one of many. */
export function isCommonPlaceWord(form: string): boolean {
  return chinaPlaces().lookup(form).length >= 2;
}

function buildPlaces(): Place[] {
  const places: Place[] = [
    { code: '000000', name: '中国', level: 'country', province: '', prefecture: null },
  ];
  const provinceOf = (code: string) => areaList.province_list[`${code.slice(0, 2)}0000`] ?? '';
  for (const [code, name] of Object.entries(areaList.province_list)) {
    places.push({ code, name, level: 'province', province: name, prefecture: null });
  }
  for (const [code, name] of Object.entries(areaList.city_list)) {
    if (JUNK.test(name)) continue;
    const province = provinceOf(code);
    // Municipalities list their districts under a pseudo-city; the municipality is the prefecture.
    const prefecture = /^(11|12|31|50)/.test(code) ? province : name;
    if (prefecture !== name) continue;
    places.push({ code, name, level: 'prefecture', province, prefecture });
  }
  for (const [code, name] of Object.entries(areaList.county_list)) {
    if (JUNK.test(name) || /(镇|乡|街道|管委会|行政委员会)$/.test(name)) continue;
    const province = provinceOf(code);
    const municipality = /^(11|12|31|50)/.test(code);
    const prefecture = municipality ? province : (areaList.city_list[`${code.slice(0, 4)}00`] ?? null);
    places.push({ code, name, level: 'county', province, prefecture });
  }
  return places;
}

export class PlaceIndex {
  private readonly byForm = new Map<string, Place[]>();
  private readonly maxFormLength: number;

  /** The places indexed, as given (for chinaPlaces(): 中国, then provinces, prefectures, counties). */
  constructor(readonly places: readonly Place[]) {
    let max = 0;
    for (const place of places) {
      const forms = placeForms(place.name, place.level);
      for (const form of forms) {
        if (form !== place.name && AMBIGUOUS_SHORT.has(form)) continue;
        const list = this.byForm.get(form) ?? [];
        list.push(place);
        this.byForm.set(form, list);
        max = Math.max(max, form.length);
      }
    }
    this.maxFormLength = max;
  }

  /** Every place a form may stand for ([] when unknown). */
  lookup(form: string): readonly Place[] {
    return this.byForm.get(form) ?? [];
  }

  /** Place forms in a normalised text, longest first at each position, non-overlapping. */
  findAll(text: string): PlaceMention[] {
    const out: PlaceMention[] = [];
    let i = 0;
    while (i < text.length) {
      let found: PlaceMention | null = null;
      for (let len = Math.min(this.maxFormLength, text.length - i); len >= 2; len--) {
        const form = text.slice(i, i + len);
        const places = this.byForm.get(form);
        if (places) {
          found = { form, start: i, end: i + len, places };
          break;
        }
      }
      if (found) {
        out.push(found);
        i = found.end;
      } else {
        i++;
      }
    }
    return out;
  }

  /** Prefecture of a county name inside one province, e.g. (临洮县, 甘肃省) → 定西市. */
  prefectureOfCounty(county: string, province: string): string | null {
    const hit = this.lookup(county).find((p) => p.level === 'county' && p.province === province);
    return hit?.prefecture ?? null;
  }
}

let shared: PlaceIndex | null = null;

/** The national place index, built once on first use (~4k places). */
export function chinaPlaces(): PlaceIndex {
  shared ??= new PlaceIndex(buildPlaces());
  return shared;
}
