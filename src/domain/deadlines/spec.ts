import { cutText } from '../text/cut.js';
import { type Audience, DEFAULT_OFFSETS, parseOffsets } from './deadline.js';
import { parseDueTime } from './time-text.js';

/**
 * Deadline specs typed by coordinators on a phone, one field per line (Chinese or ASCII colon):
 *
 *   标题：2026年度工作总结
 *   截止：2026-12-15 17:00
 *   对象：全部            (全部 | 试点城市 | 协调人 | 市州名 | 单位名、单位名)
 *   提交：工作总结报告（PDF）
 *   提醒：7,3,1,0         (days before, at 09:00; or 2h)
 *
 * or on one line: `2026年度工作总结 2026-12-15 17:00`. Every error is in Chinese with an example.
 */

export interface DeadlineSpec {
  readonly title: string;
  readonly dueAt: number;
  readonly audience: Audience;
  readonly submit: string | null;
  readonly offsets: readonly string[];
  readonly source: string | null;
}

export type AudienceResolver = (text: string) => { audience: Audience } | { error: string };

export const SPEC_EXAMPLE = [
  '/newdeadline',
  '标题：2026年度工作总结',
  '截止：2026-12-15 17:00',
  '对象：全部',
  '提交：工作总结报告（PDF）',
  '提醒：7,3,1,0',
].join('\n');

const FIELDS: Record<string, keyof Fields> = {
  标题: 'title',
  名称: 'title',
  title: 'title',
  截止: 'due',
  截止时间: 'due',
  时间: 'due',
  due: 'due',
  对象: 'audience',
  范围: 'audience',
  audience: 'audience',
  提交: 'submit',
  提交内容: 'submit',
  内容: 'submit',
  submit: 'submit',
  提醒: 'offsets',
  offsets: 'offsets',
  来源: 'source',
  依据: 'source',
  source: 'source',
};

interface Fields {
  title?: string;
  due?: string;
  audience?: string;
  submit?: string;
  offsets?: string;
  source?: string;
}

const MAX_TITLE = 100;
const MAX_TEXT = 500;

function readFields(text: string): { fields: Fields } | { error: string } {
  const fields: Fields = {};
  const lines = text
    .normalize('NFKC')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const keyed = lines.filter((l) => /^[^:：]{1,6}[:：]/.test(l));
  if (!keyed.length && lines.length === 1) {
    const m =
      /^(.+?)\s+(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}[:：点]\d{0,2}分?)?|\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}[:：点]\d{0,2}分?)?)$/.exec(
        lines[0] ?? '',
      );
    if (!m) return { error: '没有读到截止时间。' };
    return { fields: { title: m[1], due: m[2] } };
  }
  for (const line of lines) {
    const m = /^([^:：]{1,6})[:：]\s*(.*)$/.exec(line);
    if (!m) return { error: `这一行看不懂：「${cutText(line, 30)}」，每行请写“字段：内容”。` };
    const key = FIELDS[m[1]!.trim().toLowerCase()];
    if (!key) return { error: `不认识的字段「${m[1]}」。可用字段：标题、截止、对象、提交、提醒、来源。` };
    fields[key] = m[2]!.trim();
  }
  return { fields };
}

/** Parses a full spec (for adding). */
export function parseDeadlineSpec(
  text: string,
  opts: { timeZone: string; now: number; resolveAudience: AudienceResolver },
): { spec: DeadlineSpec } | { error: string } {
  const read = readFields(text);
  if ('error' in read) return withExample(read.error);
  const f = read.fields;
  if (!f.title) return withExample('缺少标题。');
  if (!f.due) return withExample('缺少截止时间。');
  const checked = checkFields(f, opts);
  if ('error' in checked) return withExample(checked.error);
  return {
    spec: {
      title: f.title,
      dueAt: checked.dueAt!,
      audience: checked.audience ?? { kind: 'all_units' },
      submit: f.submit || null,
      offsets: checked.offsets ?? [...DEFAULT_OFFSETS],
      source: f.source || null,
    },
  };
}

/** Parses the fields to change (for editing); at least one field is required. */
export function parseDeadlineChanges(
  text: string,
  opts: { timeZone: string; now: number; resolveAudience: AudienceResolver },
): { changes: Partial<DeadlineSpec> } | { error: string } {
  const read = readFields(text);
  if ('error' in read) return withExample(read.error, EDIT_EXAMPLE);
  const f = read.fields;
  if (!Object.keys(f).length) return withExample('请写出要修改的字段。', EDIT_EXAMPLE);
  const checked = checkFields(f, opts);
  if ('error' in checked) return withExample(checked.error, EDIT_EXAMPLE);
  const changes: Partial<Record<keyof DeadlineSpec, unknown>> = {};
  if (f.title) changes.title = f.title;
  if (checked.dueAt !== undefined) changes.dueAt = checked.dueAt;
  if (checked.audience) changes.audience = checked.audience;
  if (f.submit !== undefined) changes.submit = f.submit || null;
  if (checked.offsets) changes.offsets = checked.offsets;
  if (f.source !== undefined) changes.source = f.source || null;
  return { changes: changes as Partial<DeadlineSpec> };
}

export const EDIT_EXAMPLE = ['/editdeadline 3', '截止：2026-12-20 17:00', '提醒：3,1,0'].join('\n');

function checkFields(
  f: Fields,
  opts: { timeZone: string; now: number; resolveAudience: AudienceResolver },
): { dueAt?: number; audience?: Audience; offsets?: string[] } | { error: string } {
  if (f.title !== undefined && (!f.title || f.title.length > MAX_TITLE)) {
    return { error: `标题不能为空，也不能超过 ${MAX_TITLE} 个字。` };
  }
  for (const [name, value] of [
    ['提交', f.submit],
    ['来源', f.source],
  ] as const) {
    if (value && value.length > MAX_TEXT) return { error: `${name}不能超过 ${MAX_TEXT} 个字。` };
  }
  if (Object.values(f).some((v) => typeof v === 'string' && /\p{Cc}/u.test(v))) {
    return { error: '内容里有控制字符，请删掉后重发。' };
  }
  const out: { dueAt?: number; audience?: Audience; offsets?: string[] } = {};
  if (f.due !== undefined) {
    const dueAt = parseDueTime(f.due, opts.timeZone, opts.now);
    if (dueAt === null) return { error: `截止时间「${f.due}」看不懂，请写成 2026-12-15 17:00。` };
    if (dueAt <= opts.now) return { error: `截止时间「${f.due}」已经过去了。` };
    out.dueAt = dueAt;
  }
  if (f.audience !== undefined) {
    const r = opts.resolveAudience(f.audience);
    if ('error' in r) return { error: r.error };
    out.audience = r.audience;
  }
  if (f.offsets !== undefined) {
    const r = parseOffsets(f.offsets);
    if ('error' in r)
      return { error: `${r.error}。提醒请写成 7,3,1,0（提前几天，上午9点提醒）或 2h（提前几小时）。` };
    out.offsets = r.offsets;
  }
  return out;
}

function withExample(error: string, example = SPEC_EXAMPLE): { error: string } {
  return { error: `${error}\n\n示例：\n${example}` };
}
