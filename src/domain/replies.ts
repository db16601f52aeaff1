import {
  FIVE_ACTIONS,
  NATIONAL_COUNTS,
  NON_PROFIT_RULE,
  NOTICES,
  OUT_OF_SCHOOL_DUTIES,
  PROGRAM_NAME,
  SCHOOL_DUTIES,
} from './program.js';
import type { Contact, Prefecture, Roster, Unit } from './roster.js';
import { unitsOf } from './roster.js';

/** Reply texts in Simplified Chinese. Plain text (no parse mode), so nothing needs escaping. */

/** Shortens a user's text for quoting it back; never echoes more than a short line. */
export function quote(text: string): string {
  const clean = text.replace(/[\p{C}\s]+/gu, ' ').trim();
  const chars = [...clean];
  return chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : clean;
}

/** What the roster covers, per province: 甘肃省（5 个试点城市、77 个试点单位）. One pass over the roster. */
export function coverage(roster: Roster): string {
  const counts = new Map<string, { cities: number; units: number }>();
  const of = (province: string) => {
    const c = counts.get(province) ?? { cities: 0, units: 0 };
    counts.set(province, c);
    return c;
  };
  for (const p of roster.prefectures)
    if (p.pilotCity) of(p.province).cities++;
    else of(p.province);
  for (const u of roster.units) of(u.province).units++;
  return [...counts]
    .map(
      ([province, c]) => `${province}（${c.cities ? `${c.cities} 个试点城市、` : ''}${c.units} 个试点单位）`,
    )
    .join('、');
}

export function prefectureLabel(p: Prefecture): string {
  return p.pilotCity ? `${p.name}（试点城市）` : p.name;
}

/** Where a unit's listing comes from, for the answer's 依据 line. */
export function sourceText(unit: Unit): string {
  const source = unit.source;
  if (!source || source.kind === 'notice') return `${NOTICES.provincial} 附件2`;
  return `名单导入 ${source.file}（${chinaDate(source.at)}）`;
}

/** YYYY-MM-DD in China time (UTC+8, no daylight saving), for citing an import. */
function chinaDate(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

function where(unit: Unit, prefecture: Prefecture | undefined): string {
  const city = prefecture?.pilotCity ? `${unit.prefecture}，试点城市` : unit.prefecture;
  return unit.county ? `${city} · ${unit.county}` : city;
}

/** Direct answer first: yes, the official name and prefecture, then the source. */
export function pilotReply(unit: Unit, prefecture: Prefecture | undefined): string {
  return [
    `✅ 是试点单位。名单全称：${unit.name}（${where(unit, prefecture)}）`,
    `依据：${sourceText(unit)}。请核对全称是否就是贵单位。`,
  ].join('\n');
}

/** Candidates for a shared or generic name; the listed ones are buttons, others are not pilots. */
export function ambiguousReply(asked: string, units: readonly Unit[], generic = false): string {
  const name = asked ? `「${quote(asked)}」` : '这个名称';
  const head =
    units.length === 1
      ? `🔎 ${name}各地都有，名单中只有这一所：`
      : `🔎 名单中有 ${units.length} 个单位与${name}相符，是哪一个？`;
  return [
    head,
    ...units.map((u, i) => `${i + 1}. ${u.name}（${u.prefecture}${u.county ? ` ${u.county}` : ''}）`),
    generic || units.length > 1
      ? '其他同名的学校不是试点单位。请点下方按钮，或发送带县区的全称。'
      : '请点下方按钮，或发送带县区的全称。',
  ].join('\n');
}

/** A vague question about a place (静宁县的那个小学): the place's listed units. */
export function vagueReply(place: string, kind: string, units: readonly Unit[]): string {
  return [
    `🔎 ${place}在名单中的${kind}有 ${units.length} 个：`,
    ...units.map((u, i) => `${i + 1}. ${u.name}`),
    `${place}的其他学校不是试点单位。请点下方按钮，或发送学校全称。`,
  ].join('\n');
}

/** Several schools in one message: one line each, in the order written. */
export function multipleReply(
  results: readonly { query: string; verdict: 'pilot' | 'not_pilot' | 'ambiguous'; units: readonly Unit[] }[],
  covered: string,
): string {
  const lines = results.map((r, i) => {
    const n = `${i + 1}. ${quote(r.query)}`;
    if (r.verdict === 'pilot' && r.units[0]) {
      const u = r.units[0];
      return `${n}：✅ 是试点单位（${u.name}，${u.prefecture}）`;
    }
    if (r.verdict === 'ambiguous')
      return `${n}：🔎 名单中有 ${r.units.map((u) => u.name).join('、')}，请发送带县区的全称确认`;
    return `${n}：❌ 不在试点单位名单中`;
  });
  const sources = new Set(results.flatMap((r) => (r.verdict === 'pilot' ? r.units.map(sourceText) : [])));
  lines.push(
    `依据：${sources.size ? [...sources].join('；') : NOTICES.provincial}（本助手收录：${covered}）。`,
  );
  return lines.join('\n');
}

/** Status of a Gansu prefecture in one sentence (pilot city or not; how many units). */
export function prefectureStatus(roster: Roster, prefecture: Prefecture | undefined, name: string): string {
  if (!prefecture) return `${name}没有试点单位，也不是试点城市。`;
  const count = unitsOf(roster, prefecture.name).length;
  if (prefecture.pilotCity) return `${prefecture.name}是试点城市，有 ${count} 个试点单位。`;
  return `${prefecture.name}不是试点城市，但有 ${count} 个试点单位。`;
}

/** No, plainly; the name only when the user wrote a name; then where to go next. */
export function notPilotReply(
  covered: string,
  asked: string,
  placeNotes: readonly string[],
  contact: Contact | undefined,
): string {
  const lines = [
    `❌ ${asked ? `「${quote(asked)}」` : '这个单位'}不在试点单位名单中（本助手收录：${covered}）。`,
  ];
  if (placeNotes[0]) lines.push(placeNotes[0]);
  lines.push(
    contact
      ? `如是简称，请发送全称再查；对名单有疑问请联系${contact.person}（${contact.phone}）。`
      : '如是简称，请发送全称再查。',
  );
  return lines.join('\n');
}

export function cityReply(roster: Roster, prefecture: Prefecture): string {
  const count = unitsOf(roster, prefecture.name).length;
  const short = prefecture.shortNames[0];
  const head = prefecture.pilotCity
    ? `✅ ${prefecture.name}${short && short !== prefecture.name ? `（${short}）` : ''}是试点城市。`
    : `❌ ${prefecture.name}不是试点城市。`;
  const tail =
    count > 0
      ? `${prefecture.pilotCity ? '' : '不过'}${prefecture.name}有 ${count} 个试点单位，发送 /units ${short ?? prefecture.name} 查看。`
      : `${prefecture.name}没有试点单位。`;
  const peers = roster.prefectures.filter((p) => p.pilotCity && p.province === prefecture.province);
  return `${head}\n${tail}\n${prefecture.province}试点城市共 ${peers.length} 个：${peers.map((p) => p.name).join('、')}。`;
}

function pilotCityNames(roster: Roster): string[] {
  return roster.prefectures.filter((p) => p.pilotCity).map((p) => p.name);
}

export function citiesReply(roster: Roster): string {
  const lines = [`甘肃省的试点城市（${NOTICES.provincial} 附件1）共 ${pilotCityNames(roster).length} 个：`];
  for (const p of roster.prefectures.filter((x) => x.pilotCity)) {
    lines.push(`· ${p.name}：${unitsOf(roster, p.name).length} 个试点单位`);
  }
  const others = roster.prefectures.filter((p) => !p.pilotCity);
  lines.push(
    `有试点单位但不是试点城市的市州：${others.map((p) => `${p.name}（${unitsOf(roster, p.name).length}）`).join('、')}。`,
  );
  lines.push('发送 /units 市州名 查看某个市州的试点单位。');
  return lines.join('\n');
}

export function unitsReply(roster: Roster, prefecture: Prefecture): string {
  const units = unitsOf(roster, prefecture.name);
  if (!units.length) return `${prefecture.name}没有试点单位。`;
  return [
    `${prefectureLabel(prefecture)}共有 ${units.length} 个试点单位：`,
    ...units.map((u, i) => `${i + 1}. ${u.name}`),
  ].join('\n');
}

export function allUnitsReply(roster: Roster): string {
  const lines = [
    `共有 ${roster.units.length} 个试点单位（${coverage(roster)}），分布在 ${roster.prefectures.length} 个市州：`,
  ];
  for (const p of roster.prefectures) {
    const units = unitsOf(roster, p.name);
    if (units.length) lines.push(`【${prefectureLabel(p)}】${units.map((u) => u.name).join('、')}`);
  }
  return lines.join('\n');
}

export function contactReply(contacts: readonly Contact[]): string {
  const lines = ['试点工作联系人：'];
  for (const c of contacts) {
    const level = c.level === 'provincial' ? '省级' : '全国';
    lines.push(
      `· ${level}：${c.person}，${c.phone}${c.email ? `，${c.email}` : ''}（${c.organisation}，${c.notice}）`,
    );
  }
  lines.push('各市州、各单位的具体问题，建议先联系省级联系人。');
  return lines.join('\n');
}

export function aboutReply(kind?: Unit['kind']): string {
  const lines = [
    `${PROGRAM_NAME}由中国科协青少年科技中心、中国青少年科技辅导员协会发起（${NOTICES.national}），全国共 ${NATIONAL_COUNTS.cities} 个试点城市、${NATIONAL_COUNTS.units} 个试点单位；甘肃省有 5 个试点城市、77 个试点单位（${NOTICES.provincial}）。`,
    `五大科普行动：${FIVE_ACTIONS.join('、')}。`,
  ];
  if (kind !== 'out_of_school') {
    lines.push('中小学校要：', ...SCHOOL_DUTIES.map((d) => `· ${d}`));
  }
  if (kind !== 'school' && kind !== 'university') {
    lines.push('校外机构要：', ...OUT_OF_SCHOOL_DUTIES.map((d) => `· ${d}`));
  }
  lines.push('试点城市要统筹推动试点工作，总结好经验、好做法，探索区域示范性工作机制。');
  lines.push(NON_PROFIT_RULE);
  return lines.join('\n');
}

/** 甘肃/全省: the province's pilot cities and units. */
export function provinceReply(roster: Roster): string {
  const gansu = roster.prefectures.filter((p) => p.province === '甘肃省');
  const cities = gansu.filter((p) => p.pilotCity);
  const units = roster.units.filter((u) => u.province === '甘肃省');
  const others = gansu.filter((p) => !p.pilotCity && unitsOf(roster, p.name).length);
  return [
    `✅ 甘肃省有 ${cities.length} 个试点城市、${units.length} 个试点单位（${NOTICES.provincial}）。`,
    `试点城市：${cities.map((p) => p.name).join('、')}；另有 ${others.length} 个市州有试点单位。`,
    '发送 /units 市州名 查看某个市州的单位，/units 甘肃 查看全部。',
  ].join('\n');
}

/** 全国: the national programme's size, and what this bot covers. */
export function nationalReply(roster: Roster): string {
  const national = roster.contacts.find((c) => c.level === 'national');
  return [
    `全国共 ${NATIONAL_COUNTS.cities} 个试点城市、${NATIONAL_COUNTS.units.toLocaleString('en-US')} 个试点单位（${NOTICES.national}）。`,
    `本助手收录的是${coverage(roster)}的名单。`,
    national
      ? `其他省份请咨询全国联系人${national.person}（${national.phone}）。`
      : '其他省份请咨询全国联系人。',
  ].join('\n');
}

/** Fee and profit questions: the non-profit rule, directly. */
export function feeReply(): string {
  return [`不可以。${NON_PROFIT_RULE}`, '试点单位要做什么，发送 /about 查看。'].join('\n');
}

/** What schools (or out-of-school institutions) must do, without the programme's introduction. */
export function dutiesReply(kind: Unit['kind']): string {
  const duties = kind === 'out_of_school' ? OUT_OF_SCHOOL_DUTIES : SCHOOL_DUTIES;
  return [
    `${kind === 'out_of_school' ? '校外机构' : '试点学校'}要做的事（${NOTICES.provincial}）：`,
    ...duties.map((d) => `· ${d}`),
    '发送 /about 查看五大科普行动和公益性要求。',
  ].join('\n');
}

export const GREETING_TEXT =
  '你好！我是“科创筑梦”助力“双减”试点名单助手。发送学校或单位的名称（如“张掖中学是试点吗”）即可查询，发送 /help 查看全部用法。';

export const ASK_NAME_TEXT = '请告诉我学校或单位的名称（最好是名单上的全称），例如：“张掖中学是试点吗”。';

/** What to ask; the bot's /help adds the commands a user may use and {@link HELP_GROUPS_TEXT}. */
export const HELP_TEXT = [
  '我是“科创筑梦”助力“双减”试点名单助手（甘肃省）。可以直接发消息问我，例如：',
  '· 民主西路小学是试点吗',
  '· 兰州五十二中在名单里吗',
  '· 临夏州是试点城市吗',
  '· 酒泉有哪些试点单位',
  '· 联系人是谁 / 试点单位要做什么',
  '· 最近有什么截止 / 总结报告什么时候交',
].join('\n');

/** How the bot works in groups, the last part of /help. */
export const HELP_GROUPS_TEXT = [
  '在群里请用命令、@我 或回复我的消息提问。',
  '群管理员可以用 /bind 市州或单位名 申请绑定本群（需本市州协调人批准），协调人也可以私聊发送 /invite 单位名 生成一次性入群链接；绑定后截止提醒会自动发到本群；/whereami 查看绑定，/unbind 解除。',
].join('\n');

export const UNKNOWN_TEXT =
  '没有看懂这条消息。请直接发送单位名称（如“张掖中学”）或市州名称（如“临夏州”），发送 /help 查看用法。';
