import { isCommonPlaceWord } from '../places/china.js';
import { placeForms } from '../places/forms.js';
import type { Roster, Unit } from '../roster.js';
import { canonical } from '../text/normalize.js';
import { directionsIn, numbersIn, type TypeFamily, typeFamily } from './features.js';

/**
 * A unit broken into what matching needs: its canonical name, the place prefixes that may be
 * peeled (province, prefecture, county, township) and the core that identifies it.
 */
export interface UnitProfile {
  readonly unit: Unit;
  readonly canon: string;
  /** Core after peeling, in every accepted spelling (first is the official one). */
  readonly cores: readonly string[];
  /**
   * Spoken variants of the core, accepted only with a place before them: word order (实验2小 ↔
   * 2实小), 实验 or 九年制 left out (环县思源学校, 庄浪县北城学校).
   */
  readonly variants: readonly string[];
  /** The core is common nationwide (城关小, 52中, 藏族中): a bare core alone needs care. */
  readonly genericCore: boolean;
  /**
   * Many schools of the province bear this name (逸夫小, 南关小, 2中): named without its place it is
   * a candidate, never a yes. A high ordinal (52中) is not: only a big city numbers its schools so far.
   */
  readonly sharedName: boolean;
  /** Peelable place prefixes, in order; each has its spellings. */
  readonly segments: readonly Segment[];
  readonly numbers: readonly string[];
  readonly family: TypeFamily | null;
  /** Direction characters of the core (not of place names). */
  readonly directions: string;
  /** Level of the place the official name itself carries (甘肃 → province, 兰州市 → prefecture), if any. */
  readonly nameLevel: 'province' | 'prefecture' | 'county' | null;
  /** Characters a shortened spelling must keep: the core without its type head (交大 of 交大附中). */
  readonly stem: string;
}

interface Segment {
  readonly level: 'province' | 'prefecture' | 'county' | 'town';
  readonly forms: readonly string[];
  /** A segment the core cannot stand without (张掖 in 张掖中学). */
  readonly mandatory: boolean;
}

/** A core that is only a type head never identifies anything (中, 小学, 学校). */
const PURE_TYPE = /^(中|小|初中|高中|学校|九年制|大学|师大|交大|学院)$/;

const GENERIC_WORD =
  '城关|南关|北关|东关|西关|逸夫|实验|中心|建设|西街|东街|南街|北街|江南|城北|北城|城南|南城|城东|东城|城西|西城|藏族|蒙古族|回族|回民|民族|新村|红旗|育才|希望|和平|解放|人民|新华|东方|阳光|思源|南园|北园|东园|西园|河东|河西|东华|西华|南苑|北苑|新城区|城区|新区|交大|师大|青少年|少年|活动|第';
const GENERIC_TYPE =
  '中|小|初中|高中|学校|九年制|实小|附中|附小|科技馆|博物馆|活动中心|中心|少年宫|教育集团|大学';
const GENERIC_CORE = new RegExp(`^(?:${GENERIC_WORD})*\\d*(?:${GENERIC_WORD})*\\d*(?:${GENERIC_TYPE})$`);

const TYPE_SUFFIX = new RegExp(`(${GENERIC_TYPE}|有限公司|公司)$`);

const COMPANY_SUFFIX = /(科技)?有限(责任)?公司$/;

/** A core that is only a number above 20 and a type head (52中): rare outside a provincial capital. */
const HIGH_ORDINAL = /^(?:[2-9]\d|\d{3,})(?:中|小|初中|高中)$/;

/** A direction and a street or gate (西大街, 东关): every old county town has one. */
const DIRECTION_STREET = /^[东西南北](?:大)?(?:街|关|门|郊)(?:小|中|学校|九年制)$/;

/**
 * Whether many schools of a province bear this core: a generic kind of name (see GENERIC_CORE)
 * except a high ordinal, a direction + street, or a type head after a place word many places share.
 */
function isSharedName(core: string): boolean {
  if (isGenericCore(core)) return !HIGH_ORDINAL.test(core);
  if (DIRECTION_STREET.test(core)) return true;
  const stem = core.replace(TYPE_SUFFIX, '');
  return stem !== core && stem.length >= 2 && isCommonPlaceWord(stem);
}

/** True when a core names a kind of institution rather than one institution. */
function isGenericCore(core: string): boolean {
  return GENERIC_CORE.test(core);
}

function nameLevelOf(segments: readonly Segment[]): UnitProfile['nameLevel'] {
  const last = segments.filter((seg) => seg.level !== 'town').at(-1);
  return last ? (last.level as 'province' | 'prefecture' | 'county') : null;
}

function shortest(forms: readonly string[]): string {
  return forms.reduce((a, b) => (b.length < a.length ? b : a), forms[0] ?? '');
}

/** Canonical place forms, remembered: every unit of a province asks for the same ones (a bounded set). */
const canonicalForms = new Map<string, string>();
function canonicalForm(form: string): string {
  let canon = canonicalForms.get(form);
  if (canon === undefined) {
    canon = canonical(form);
    canonicalForms.set(form, canon);
  }
  return canon;
}

function byLengthDesc(forms: Iterable<string>): string[] {
  return [...new Set([...forms].map(canonicalForm))].filter(Boolean).sort((a, b) => b.length - a.length);
}

export function profileUnit(unit: Unit, roster: Roster): UnitProfile {
  const canon = canonical(unit.name);
  const prefecture = roster.prefectures.find((p) => p.name === unit.prefecture);
  const levels: { level: Segment['level']; forms: string[] }[] = [
    { level: 'province', forms: byLengthDesc(placeForms(unit.province, 'province')) },
    {
      level: 'prefecture',
      forms: byLengthDesc([...placeForms(unit.prefecture, 'prefecture'), ...(prefecture?.shortNames ?? [])]),
    },
    { level: 'county', forms: unit.county ? byLengthDesc(placeForms(unit.county, 'county')) : [] },
  ];

  const segments: Segment[] = [];
  let rest = canon;
  let remaining = levels;
  for (;;) {
    let best: { index: number; form: string } | null = null;
    remaining.forEach((lvl, index) => {
      const form = lvl.forms.find((f) => rest.startsWith(f) && rest.length > f.length);
      if (form && (!best || form.length > best.form.length)) best = { index, form };
    });
    if (!best) break;
    const { index, form } = best as { index: number; form: string };
    const lvl = remaining[index]!;
    segments.push({
      level: lvl.level,
      forms: [form, ...lvl.forms.filter((f) => f !== form)],
      mandatory: false,
    });
    rest = rest.slice(form.length);
    remaining = remaining.slice(index + 1);
  }
  const town = segments.length ? /^([\u4e00-\u9fa5]{2,3}?)(镇|乡)/.exec(rest) : null;
  if (town?.[1] && rest.length > town[0].length) {
    segments.push({ level: 'town', forms: [town[0], town[1]], mandatory: false });
    rest = rest.slice(town[0].length);
  }
  // Development zones are areas, not part of a school's name: 武威新城区第一小学 is a 第一小学.
  const zone = /^(新城区|新区|开发区|高新区)/.exec(rest);
  if (zone?.[1] && rest.length > zone[1].length && !PURE_TYPE.test(rest.slice(zone[1].length))) {
    segments.push({ level: 'town', forms: [zone[1]], mandatory: false });
    rest = rest.slice(zone[1].length);
  }

  // A core that is only a type head keeps the last place with it: 张掖 + 中 → 张掖中.
  let cores: string[] = [rest];
  const last = segments.at(-1);
  const placeBound = Boolean(last && PURE_TYPE.test(rest));
  if (last && placeBound) segments[segments.length - 1] = { ...last, mandatory: true };
  if (COMPANY_SUFFIX.test(rest)) {
    const bare = rest.replace(COMPANY_SUFFIX, '');
    cores = [rest, `${bare}科技`, `${bare}公司`, bare].filter(
      (c, i, all) => c.length >= 2 && all.indexOf(c) === i,
    );
  }

  return {
    unit,
    canon,
    cores,
    variants: spokenVariants(rest).filter((v) => !cores.includes(v)),
    genericCore: !placeBound && isGenericCore(rest),
    // 康乐县康乐中学: a school named after its own county is that county's school.
    sharedName:
      !placeBound &&
      isSharedName(rest) &&
      !levels.some((l) =>
        l.forms.some((f) => f.length >= 2 && rest.startsWith(f.replace(/(县|区|市)$/, ''))),
      ),
    segments,
    numbers: numbersIn(canon),
    family: typeFamily(canon),
    directions: directionsIn(rest),
    nameLevel: nameLevelOf(segments),
    stem: (placeBound ? shortest(last?.forms ?? []) : rest.replace(TYPE_SUFFIX, '')).replace(/族/g, ''),
  };
}

function spokenVariants(core: string): string[] {
  const out: string[] = [];
  const order = /^实验(\d+)小$/.exec(core) ?? /^(\d+)实小$/.exec(core);
  if (order) out.push(core.startsWith('实验') ? `${order[1]}实小` : `实验${order[1]}小`);
  // 思源实验学校 → 思源学校, 逸夫实验中 → 逸夫中: only when a proper name stays before the type.
  const noLab = /^(\p{Script=Han}{2,})实验(学校|中|小)$/u.exec(core);
  if (noLab?.[1] && !/中心|\d/.test(noLab[1])) out.push(`${noLab[1]}${noLab[2]}`);
  const nine = /^(\p{Script=Han}{2,})九年制$/u.exec(core);
  if (nine?.[1]) out.push(`${nine[1]}学校`);
  return out;
}

export interface GeneratedAlias {
  readonly alias: string;
  /** No place spelled out: the core alone. */
  readonly bare: boolean;
  /** A middle place was left out while an outer one was kept (陇南 + 实小 for 陇南市徽县实验小学). */
  readonly gapped: boolean;
}

/**
 * Every spelling of a unit made by peeling optional place prefixes and choosing among their
 * short forms, e.g. 兰州市城关区民主西路小 → 兰州城关民主西路小, 城关区民主西路小, 民主西路小, ...
 */
export function generateAliases(profile: UnitProfile): GeneratedAlias[] {
  const out = new Map<string, GeneratedAlias>();
  const keep = (alias: string, bare: boolean, gapped: boolean) => {
    const seen = out.get(alias);
    // The same spelling reached two ways keeps its best reading: placed over bare, contiguous over gapped.
    if (!seen) out.set(alias, { alias, bare, gapped });
    else out.set(alias, { alias, bare: seen.bare && bare, gapped: seen.gapped && gapped });
  };
  const walk = (i: number, prefix: string, anyPlace: boolean, gap: boolean, omitted: boolean) => {
    if (i === profile.segments.length) {
      for (const core of anyPlace ? [...profile.cores, ...profile.variants] : profile.cores) {
        if (prefix.length + core.length < 2 || (!anyPlace && PURE_TYPE.test(core))) continue;
        const gapped = gap || (anyPlace && omitted);
        // 白银市 + 2中 skipping 平川区 names 白银市第二中学, another school: generic cores never skip a place.
        if (gapped && profile.genericCore) continue;
        keep(prefix + core, !anyPlace, gapped);
      }
      return;
    }
    const seg = profile.segments[i]!;
    if (!seg.mandatory) walk(i + 1, prefix, anyPlace, gap, anyPlace || omitted);
    for (const form of seg.forms) walk(i + 1, prefix + form, true, gap || (anyPlace && omitted), false);
  };
  walk(0, '', false, false, false);
  keep(profile.canon, false, false);
  for (const extra of profile.unit.aliases) {
    const alias = canonical(extra);
    if (alias.length >= 2) keep(alias, false, false);
  }
  return [...out.values()];
}
