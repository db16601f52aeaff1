import { type AliasIndex, strongest } from './alias-index.js';
import { isIdentityChar } from './features.js';
import { pinyinKey } from './pinyin.js';
import type { UnitProfile } from './unit-profile.js';

/** How a unit was found: an alias contained in the text, a fuzzy step, or pinyin. */
export type MatchVia = 'alias' | 'subsequence' | 'homophone' | 'extra_char' | 'pinyin';

/** An alias found inside a canonical name. */
export interface Hit {
  readonly start: number;
  readonly end: number;
  /** Profile indexes of the units it names at its highest strength. */
  readonly units: readonly number[];
  /** The alias is the core alone, without any place. */
  readonly bare: boolean;
}

/** A unit a fuzzy step found, and whether the alias it was found by is its bare core. */
export interface FuzzyCandidate {
  readonly via: MatchVia;
  readonly bare: boolean;
}

/** A following character that continues the name into another institution (…小学附属幼儿园). */
const CONTINUATION = /^[附分中小心初高大学院园幼实职技师专路街巷村镇乡区县市州东西南北新老\d]/;

/**
 * Every alias contained in the name, longest at each position, that does not run on into a
 * number, a direction or another institution; hits inside a longer hit are dropped.
 */
export function aliasHits(index: AliasIndex, name: string): Hit[] {
  const hits: Hit[] = [];
  for (let start = 0; start < name.length; start++) {
    for (let len = Math.min(index.maxAlias, name.length - start); len >= 2; len--) {
      const alias = name.slice(start, start + len);
      const owners = index.aliases.get(alias);
      if (!owners) continue;
      const end = start + len;
      const before = name[start - 1] ?? '';
      const after = name.slice(end);
      if (/[\d东西南北]/.test(before) || (/\d$/.test(alias) && /^\d/.test(after))) continue;
      if (after && CONTINUATION.test(after)) continue;
      const units = strongest(owners);
      hits.push({ start, end, units, bare: units.every((u) => index.bareAliases.has(`${u}:${alias}`)) });
    }
  }
  return hits.filter(
    (h) =>
      !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end && o.end - o.start > h.end - h.start),
  );
}

/**
 * The units a misspelt or shortened name may mean, first step first: an alias the name is a
 * subsequence of (at least half of it), a homophone of the same length, or the name with one
 * extra character. Nothing is vetoed here beyond what a step itself rules out.
 */
export function fuzzyCandidates(
  index: AliasIndex,
  profiles: readonly UnitProfile[],
  name: string,
): Map<number, FuzzyCandidate> {
  const found = new Map<number, FuzzyCandidate>();
  const add = (alias: string, via: MatchVia) => {
    for (const u of strongest(index.aliases.get(alias)!)) {
      if (!found.has(u)) found.set(u, { via, bare: index.bareAliases.has(`${u}:${alias}`) });
    }
  };
  const q0 = name[0]!;
  const qn = name.at(-1)!;
  for (const alias of index.byEnds.get(q0 + qn) ?? []) {
    if (alias.length > name.length && name.length * 2 >= alias.length && isSubsequence(name, alias)) {
      // Dropping characters from a generic core's name drops its place: 白银市二中 ≠ 白银市平川区第二中学.
      if (strongest(index.aliases.get(alias)!).some((u) => profiles[u]!.genericCore)) continue;
      add(alias, 'subsequence');
    }
  }
  if (name.length >= 4 && /\p{Script=Han}/u.test(name)) {
    for (const alias of index.pinyin.byPinyin.get(pinyinKey(name)) ?? []) {
      if (alias.length === name.length && alias !== name && homophoneOnly(name, alias))
        add(alias, 'homophone');
    }
  }
  if (name.length >= 5) {
    for (let i = 1; i < name.length - 1; i++) {
      if (isIdentityChar(name[i]!)) continue;
      const shorter = name.slice(0, i) + name.slice(i + 1);
      if (index.aliases.has(shorter)) add(shorter, 'extra_char');
    }
  }
  return found;
}

/** A pinyin alias found in a canonical pinyin query. */
export interface LatinHit {
  readonly start: number;
  readonly end: number;
  readonly units: readonly number[];
  /** The pinyin alias itself. */
  readonly key: string;
}

/** The longest pinyin alias (eight letters or more) at each position, those inside another dropped. */
export function latinHits(index: AliasIndex, q: string): LatinHit[] {
  const { latin, maxLatin } = index.pinyin;
  const hits: LatinHit[] = [];
  for (let start = 0; start < q.length; start++) {
    for (let len = Math.min(maxLatin, q.length - start); len >= 8; len--) {
      const owners = latin.get(q.slice(start, start + len));
      if (owners) {
        const key = q.slice(start, start + len);
        hits.push({ start, end: start + len, units: strongest(owners), key });
        break;
      }
    }
  }
  return hits.filter((h) => !hits.some((o) => o !== h && o.start <= h.start && o.end >= h.end));
}

function isSubsequence(needle: string, haystack: string): boolean {
  let i = 0;
  for (const ch of haystack) if (ch === needle[i]) i++;
  return i === needle.length;
}

/** Same length, and every differing character is an ordinary (non-identity) character. */
function homophoneOnly(a: string, b: string): boolean {
  let diffs = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (isIdentityChar(a[i]!) || isIdentityChar(b[i]!)) return false;
    diffs++;
  }
  return diffs > 0 && diffs <= 2;
}
