import { areaList } from '@vant/area-data';
import { chinaPlaces } from '../../src/domain/places/china.js';
import { placeForms } from '../../src/domain/places/forms.js';

/** Real prefectures and counties of China (GB/T 2260 via @vant/area-data) for synthetic names. */

/** One prefecture (or municipality) with its counties, as the generator sees it. */
export interface Area {
  readonly province: string;
  readonly prefecture: string;
  readonly counties: readonly string[];
}

const MUNICIPALITY = /^(11|12|31|50)/;
const JUNK_PREFECTURE = /^(省直辖县|县|市辖区|自治区直辖县级行政区划|省直辖县级行政区划)$/;
/** Towns, and economic zones that area-data lists among counties but no school is named after. */
const JUNK_COUNTY =
  /(镇|乡|街道|管委会|行政委员会|港|园|湖)$|^(市辖区|县)$|开发区|产业|经济|管理区|示范区|实验区|高新区|工业园区|化工园区/;
const SKIPPED_PROVINCES = /^(62|71|81|82)/; // Gansu is the real roster; no Taiwan, Hong Kong, Macao.

/** Every prefecture of China outside Gansu (municipalities as one prefecture), with its counties. */
export function chinaAreas(): Area[] {
  const areas: Area[] = [];
  const counties = Object.entries(areaList.county_list);
  for (const [code, province] of Object.entries(areaList.province_list)) {
    if (SKIPPED_PROVINCES.test(code)) continue;
    const two = code.slice(0, 2);
    const countiesUnder = (prefix: string) =>
      counties.filter(([c, name]) => c.startsWith(prefix) && !JUNK_COUNTY.test(name)).map(([, name]) => name);
    if (MUNICIPALITY.test(code)) {
      areas.push({ province, prefecture: province, counties: countiesUnder(two) });
      continue;
    }
    for (const [cityCode, prefecture] of Object.entries(areaList.city_list)) {
      if (!cityCode.startsWith(two) || JUNK_PREFECTURE.test(prefecture)) continue;
      areas.push({ province, prefecture, counties: countiesUnder(cityCode.slice(0, 4)) });
    }
  }
  return areas;
}

/**
 * The short form of a place (郑州市 → 郑州, 肃南裕固族自治县 → 肃南) when it names exactly one
 * place in China, else null: a query using it is then unambiguous.
 */
export function uniqueShortForm(name: string, level: 'prefecture' | 'county'): string | null {
  const short = placeForms(name, level).at(-1);
  return short && short !== name && namesOnly(short, name) ? short : null;
}

/** True when the full place name itself names exactly one place in China. */
export function uniquePlaceName(name: string): boolean {
  return namesOnly(name, name);
}

/** A form standing for one place only (北京 is both the province and the municipality: one place). */
function namesOnly(form: string, name: string): boolean {
  const places = chinaPlaces().lookup(form);
  const distinct = new Set(places.map((p) => `${p.province}/${p.prefecture ?? p.name}`));
  return places.length > 0 && places.every((p) => p.name === name) && distinct.size === 1;
}
