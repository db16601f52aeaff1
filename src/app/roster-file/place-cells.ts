import { resolveCounty, resolvePrefecture, resolveProvince } from '../../domain/places/resolve.js';
import type { Checked } from './cells.js';

/**
 * The place cells of a roster row resolved against the places of China (domain/places), with the
 * reason told the way an operator fixes the file: what to write instead, or the name meant.
 */

const didYouMean = (guess: string | null) => (guess ? ` — did you mean ${guess}?` : '');

export function provinceCell(text: string): Checked<string> {
  const r = resolveProvince(text);
  if (r.ok) return { value: r.name };
  return { error: `unknown province ${text}${didYouMean(r.problem.guess)}` };
}

export function prefectureCell(text: string, province: string): Checked<string> {
  const r = resolvePrefecture(text, province);
  if (r.ok) return { value: r.name };
  const p = r.problem;
  switch (p.kind) {
    case 'ambiguous':
      return { error: `${text} is ambiguous in ${province}: ${p.names.join(' or ')}` };
    case 'county':
      return {
        error: `${text} is a county of ${p.prefecture}, not a prefecture: put ${p.prefecture} in 市州 and ${text} in 县区`,
      };
    case 'other_province':
      return { error: `${text} is a prefecture of ${p.provinces.join(' / ')}, not of ${province}` };
    case 'unknown':
      return { error: `unknown prefecture ${text} in ${province}${didYouMean(p.guess)}` };
  }
}

export function countyCell(text: string, prefecture: string, province: string): Checked<string> {
  const r = resolveCounty(text, prefecture, province);
  if (r.ok) return { value: r.name };
  const p = r.problem;
  switch (p.kind) {
    case 'ambiguous':
      return { error: `${text} is ambiguous in ${prefecture}: ${p.names.join(' or ')}` };
    case 'other_prefecture':
      return { error: `${text} is in ${p.prefectures.join(' / ')}, not in ${prefecture}` };
    case 'unknown':
      return { error: `unknown county ${text} in ${prefecture}${didYouMean(p.guess)}` };
  }
}
