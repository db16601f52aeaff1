import { typeFamily } from './features.js';
import { pinyinKey } from './pinyin.js';
import { generateAliases, type UnitProfile } from './unit-profile.js';

/** 3: the official name; 2: a contiguous peel; 1: a peel that skips a middle place. */
export type Strength = 1 | 2 | 3;

/** Alias → the units it may name (by profile index), with the alias's strength for each. */
export type AliasTable = Map<string, Map<number, Strength>>;

/**
 * The lookup tables the matcher reads, built once per roster from the units' profiles: every
 * alias, which of them are a bare core, aliases by first and last character (for the fuzzy
 * steps), the bare stems and types that ask about many units, and the pinyin side (on first use).
 */
export class AliasIndex {
  readonly aliases: AliasTable = new Map();
  /** `${unit}:${alias}` for aliases that are the core alone, without any place. */
  readonly bareAliases = new Set<string>();
  /** First + last character → the aliases with those ends. */
  readonly byEnds = new Map<string, string[]>();
  /** A bare stem (南关, 逸夫) or type (初中) → every unit that has it. */
  readonly stems = new Map<string, number[]>();
  readonly maxAlias: number;
  /** Built on the first question that needs pinyin (see {@link pinyinTables}). */
  private pinyinIndex: PinyinTables | undefined;

  constructor(private readonly profiles: readonly UnitProfile[]) {
    let maxAlias = 0;
    profiles.forEach((profile, index) => {
      for (const { alias, bare, strength } of aliasesWithStrength(profile)) {
        addAlias(this.aliases, alias, index, strength);
        if (bare) this.bareAliases.add(`${index}:${alias}`);
        maxAlias = Math.max(maxAlias, alias.length);
      }
    });
    for (const alias of this.aliases.keys()) {
      const ends = alias[0]! + alias.at(-1)!;
      pushTo(this.byEnds, ends, alias);
    }
    profiles.forEach((profile, index) => {
      // A bare stem (南关, 逸夫) or a bare type (初中) is a question about every unit that has it.
      // A stem that is itself an institution (清华大学 of 清华大学附属中学) names that institution.
      const stems = [profile.stem, profile.stem.replace(/(实验|中心)$/, '')].filter((k) => !typeFamily(k));
      const type = /(初中|高中|九年制|实小|附中|科技馆|博物馆)$/.exec(profile.canon)?.[1];
      for (const key of new Set([...stems, type ?? ''])) if (key.length >= 2) pushTo(this.stems, key, index);
    });
    this.maxAlias = maxAlias;
  }

  get pinyin(): PinyinTables {
    this.pinyinIndex ??= pinyinTables(this.profiles, this.aliases.keys());
    return this.pinyinIndex;
  }
}

/** The pinyin side of the alias index: pinyin-pro takes most of its build, so it waits for a question that needs it. */
export interface PinyinTables {
  /** Pinyin key of an alias → the units it may name, as for the Chinese aliases. */
  readonly latin: AliasTable;
  /** `${unit}:${pinyin}` for the pinyin of bare aliases. */
  readonly bareLatin: ReadonlySet<string>;
  /** Pinyin key → the aliases that read so (homophones). */
  readonly byPinyin: ReadonlyMap<string, readonly string[]>;
  readonly maxLatin: number;
}

function pinyinTables(profiles: readonly UnitProfile[], aliases: Iterable<string>): PinyinTables {
  // Each alias's key is needed twice below.
  const keys = new Map<string, string>();
  const keyOf = (alias: string) => {
    let key = keys.get(alias);
    if (key === undefined) {
      key = pinyinKey(alias);
      keys.set(alias, key);
    }
    return key;
  };
  const latin: AliasTable = new Map();
  const bareLatin = new Set<string>();
  const byPinyin = new Map<string, string[]>();
  let maxLatin = 0;
  profiles.forEach((profile, index) => {
    for (const { alias, bare, strength } of aliasesWithStrength(profile)) {
      const key = keyOf(alias);
      addAlias(latin, key, index, strength);
      if (bare) bareLatin.add(`${index}:${key}`);
      maxLatin = Math.max(maxLatin, key.length);
    }
  });
  for (const alias of aliases) pushTo(byPinyin, keyOf(alias), alias);
  return { latin, bareLatin, byPinyin, maxLatin };
}

/** The units an alias names at its highest strength (one unit unless it is truly shared). */
export function strongest(owners: ReadonlyMap<number, Strength>): number[] {
  const top = Math.max(...owners.values());
  return [...owners].filter(([, s]) => s === top).map(([u]) => u);
}

function aliasesWithStrength(profile: UnitProfile): { alias: string; bare: boolean; strength: Strength }[] {
  return generateAliases(profile).map(({ alias, bare, gapped }) => ({
    alias,
    bare,
    strength: alias === profile.canon ? 3 : gapped ? 1 : 2,
  }));
}

function addAlias(table: AliasTable, alias: string, unit: number, strength: Strength): void {
  let owners = table.get(alias);
  if (!owners) {
    owners = new Map();
    table.set(alias, owners);
  }
  owners.set(unit, Math.max(owners.get(unit) ?? 0, strength) as Strength);
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
