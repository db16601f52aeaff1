import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { areaList } from '@vant/area-data';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { type Db, openDatabase } from '../../src/db/client.js';
import { seedFromFiles } from '../../src/db/seed.js';
import { readSeedData } from '../../src/db/seed-files.js';
import { DATA_DIR } from './roster.js';
import { tempDir } from './tmp.js';

/**
 * Roster files built in code, as coordinators produce them: CSV in UTF-8 (with or without BOM),
 * GBK or GB18030, and XLSX; Chinese or English headers; realistic rows for Gansu (the reviewed
 * roster) and for 四川省 (generated from the real prefectures and counties).
 */

export const CN_HEADER = ['省份', '市州', '单位名称', '类型', '县区', '联系人', '电话'] as const;
export const EN_HEADER = [
  'province',
  'prefecture',
  'name',
  'kind',
  'county',
  'contact_person',
  'phone',
] as const;

export type Table = readonly (readonly string[])[];

const KIND_CN = { school: '学校', university: '高校', out_of_school: '校外机构' } as const;

/** The reviewed Gansu roster as rows in CN_HEADER order (no contacts: the seed has none). */
export function gansuRows(): string[][] {
  return readSeedData(DATA_DIR).units.map((u) => [
    u.province,
    u.prefecture,
    u.name,
    KIND_CN[u.kind],
    u.county ?? '',
    '',
    '',
  ]);
}

/** CSV text with RFC 4180 quoting, CRLF line ends (what Excel writes). */
export function csvText(header: readonly string[], rows: Table): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return [header, ...rows].map((r) => `${r.map(field).join(',')}\r\n`).join('');
}

export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
export const utf8Bom = (text: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
export const gbk = (text: string): Buffer => iconv.encode(text, 'gbk');
export const gb18030 = (text: string): Buffer => iconv.encode(text, 'gb18030');
export const shiftJis = (text: string): Buffer => iconv.encode(text, 'shift_jis');

/** An XLSX workbook whose first sheet holds header and rows (optionally below a title line). */
export async function xlsxFile(
  header: readonly string[],
  rows: Table,
  opts: { title?: string } = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  if (opts.title) sheet.addRow([opts.title]);
  sheet.addRow([...header]);
  for (const r of rows) sheet.addRow([...r]);
  // A second sheet that must be ignored.
  workbook.addWorksheet('说明').addRow(['省份', '市州', '单位名称']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Reorders columns: `order` lists header indices, or names of extra columns (filled with notes). */
export function reorder(
  header: readonly string[],
  rows: Table,
  order: readonly (number | string)[],
): { header: string[]; rows: string[][] } {
  return {
    header: order.map((o) => (typeof o === 'number' ? (header[o] ?? '') : o)),
    rows: rows.map((r, i) => order.map((o) => (typeof o === 'number' ? (r[o] ?? '') : `${o} ${i + 2}`))),
  };
}

// ---------------------------------------------------------------------------------------------
// 四川省: realistic generated rows

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIGITS = '零一二三四五六七八九';
/** 1 → 一, 10 → 十, 12 → 十二, 35 → 三十五 (1-99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n] ?? '';
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones ? DIGITS[ones] : ''}`;
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌海燕俊峰晓东雪琴春';
const ROADS = [
  '人民路',
  '解放路',
  '建设路',
  '胜利路',
  '文化路',
  '新华路',
  '光明路',
  '团结路',
  '育才路',
  '东风路',
];
const UNIVERSITIES = [
  '四川大学',
  '西南交通大学',
  '电子科技大学',
  '西南财经大学',
  '四川师范大学',
  '成都理工大学',
];
const JUNK_COUNTY = /(镇|乡|街道|管委会|委员会|园|港)$|^(市辖区|县)$|开发区|新区|高新|经济|管理区|示范区/;

export interface SichuanArea {
  readonly prefecture: string;
  readonly counties: readonly string[];
}

/** The prefectures of 四川省 with their counties (GB/T 2260 via @vant/area-data). */
export function sichuanAreas(): SichuanArea[] {
  const counties = Object.entries(areaList.county_list);
  return Object.entries(areaList.city_list)
    .filter(([code]) => code.startsWith('51'))
    .map(([code, prefecture]) => ({
      prefecture,
      counties: counties
        .filter(([c, name]) => c.startsWith(code.slice(0, 4)) && !JUNK_COUNTY.test(name))
        .map(([, name]) => name),
    }));
}

/**
 * `count` units of 四川省 in CN_HEADER order, named the way schools and science venues are named
 * (成都市武侯区第三小学, 简阳市第二中学, 绵阳市科技馆), unique, deterministic for a seed. Kinds are
 * written in a mix of forms, some left blank for the importer to infer.
 */
export function sichuanRows(count: number, seed = 51): string[][] {
  const rnd = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const areas = sichuanAreas().filter((a) => a.counties.length);
  const names = new Set<string>();
  const rows: string[][] = [];
  const person = () => `${pick([...SURNAMES])}${pick([...GIVEN])}${rnd() < 0.5 ? pick([...GIVEN]) : ''}`;
  const phone = () =>
    rnd() < 0.5
      ? `028-${8 + Math.floor(rnd() * 2)}${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`
      : `1${pick(['3', '5', '8', '9'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
  let guard = 0;
  while (rows.length < count && guard++ < count * 20) {
    const area = pick(areas);
    const county = pick(area.counties);
    const place = county.endsWith('区') ? `${area.prefecture}${county}` : county;
    const roll = rnd();
    let name: string;
    let kind: string;
    let countyCell = county;
    if (roll < 0.35) {
      name = `${place}第${chineseNumber(1 + Math.floor(rnd() * 30))}小学`;
      kind = pick(['学校', '小学', '', 'school']);
    } else if (roll < 0.65) {
      name = `${place}第${chineseNumber(1 + Math.floor(rnd() * 20))}中学`;
      kind = pick(['学校', '中学', '']);
    } else if (roll < 0.8) {
      name = `${place}${pick(ROADS)}小学`;
      kind = '学校';
    } else if (roll < 0.88) {
      name = `${place}实验学校`;
      kind = '';
    } else if (roll < 0.94) {
      name = `${county}青少年活动中心`;
      kind = pick(['校外机构', '']);
    } else if (roll < 0.98) {
      name = `${area.prefecture}科技馆`;
      kind = '校外机构';
      countyCell = '';
    } else {
      name = pick(UNIVERSITIES);
      kind = pick(['高校', 'university', '']);
      countyCell = '';
    }
    if (names.has(name)) continue;
    names.add(name);
    const prefecture = kind === '高校' || kind === 'university' || roll >= 0.98 ? '成都市' : area.prefecture;
    rows.push(['四川省', prefecture, name, kind, countyCell, person(), phone()]);
  }
  if (rows.length < count)
    throw new Error(`could only generate ${rows.length} of ${count} unique 四川 units`);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Databases

/** A seeded SQLite file in a fresh temp directory, closed (checkpointed) so its bytes are stable. */
export function seededDbFile(): string {
  const path = join(tempDir('kczm-roster-'), 'bot.db');
  const db = openDatabase(path);
  seedFromFiles(db, DATA_DIR);
  db.$client.close();
  return path;
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Runs `fn` on the database file and closes it (checkpointing the WAL) before returning. */
export async function withDbFile<T>(path: string, fn: (db: Db) => Promise<T> | T): Promise<T> {
  const db = openDatabase(path);
  try {
    return await fn(db);
  } finally {
    db.$client.close();
  }
}
