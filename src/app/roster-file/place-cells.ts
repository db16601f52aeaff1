import {
  type CountyProblem,
  type PrefectureProblem,
  type Resolved,
  resolveCounty,
  resolvePrefecture,
  resolveProvince,
} from '../../domain/places/resolve.js';
import type { Checked } from './cells.js';

/**
 * The place cells of a roster row resolved against the places of China (domain/places), with the
 * reason told the way an operator fixes the file: what to write instead, or the name meant.
 */

const didYouMean = (guess: string | null) => (guess ? ` — did you mean ${guess}?` : '');

export function provinceCell(text: string): Checked<string> {
  return checked(resolveProvince(text), (p) => `unknown province ${text}${didYouMean(p.guess)}`);
}

export function prefectureCell(text: string, province: string): Checked<string> {
  return checked(resolvePrefecture(text, province), (p) => placeError(text, 'prefecture', province, p));
}

export function countyCell(text: string, prefecture: string, province: string): Checked<string> {
  return checked(resolveCounty(text, prefecture, province), (p) => placeError(text, 'county', prefecture, p));
}

function checked<P>(r: Resolved<P>, reason: (problem: P) => string): Checked<string> {
  return r.ok ? { value: r.name } : { error: reason(r.problem) };
}

/** Why `text` is not a place of that level `within` the place above it. */
function placeError(
  text: string,
  level: 'prefecture' | 'county',
  within: string,
  p: PrefectureProblem | CountyProblem,
): string {
  switch (p.kind) {
    case 'ambiguous':
      return `${text} is ambiguous in ${within}: ${p.names.join(' or ')}`;
    case 'county':
      return `${text} is a county of ${p.prefecture}, not a prefecture: put ${p.prefecture} in 市州 and ${text} in 县区`;
    case 'other_province':
      return `${text} is a prefecture of ${p.provinces.join(' / ')}, not of ${within}`;
    case 'other_prefecture':
      return `${text} is in ${p.prefectures.join(' / ')}, not in ${within}`;
    case 'unknown':
      return `unknown ${level} ${text} in ${within}${didYouMean(p.guess)}`;
  }
}
