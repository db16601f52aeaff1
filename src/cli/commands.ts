import { DateTime } from 'luxon';
import type { AdminActions } from '../app/admin-actions.js';
import { audienceResolver } from '../app/audience.js';
import type { AuditPort } from '../app/ports.js';
import type { ReminderService } from '../app/reminders.js';
import { type Audience, DEFAULT_OFFSETS, type Deadline, parseOffsets } from '../domain/deadlines/deadline.js';
import { audienceLabel } from '../domain/deadlines/messages.js';
import { formatLocal } from '../domain/deadlines/time-text.js';
import type { Runtime } from '../runtime.js';

/** Operator-facing usage error (bad option or argument): printed as `error: ...` on stderr, exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Operator-facing failure (the request was understood but could not be done): `error: ...`, exit status 1. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
}

export type Write = (line: string) => void;

/** Changes made on the command line are audited as the operator's. */
export const CLI_ACTOR = { id: null, channel: 'cli' } as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads an ISO 8601 instant; without an offset it is local time in `timeZone` (the bot's
 * BOT_TIMEZONE, never the process TZ). With `endOfDay`, a bare date (2026-12-15) means 23:59 local
 * of that day, as a due date does for people; otherwise the start of the day.
 */
export function parseInstant(text: string, option: string, timeZone: string, endOfDay = false): number {
  const t = text.trim();
  let dt = DateTime.fromISO(t, { zone: timeZone });
  if (dt.isValid && endOfDay && DATE_ONLY.test(t)) dt = dt.set({ hour: 23, minute: 59 });
  if (!dt.isValid)
    throw new UsageError(
      `${option} must be an ISO 8601 date-time such as 2026-12-15T17:00+08:00 (got "${text}")`,
    );
  return dt.toMillis();
}

const iso = (ms: number, timeZone: string) =>
  DateTime.fromMillis(ms, { zone: timeZone }).toISO({ suppressMilliseconds: true });

function deadlineJson(d: Deadline, timeZone: string) {
  return {
    id: d.id,
    title: d.title,
    due: iso(d.dueAt, timeZone),
    audience: d.audience,
    offsets: d.offsets,
    submit: d.submit,
    source: d.source,
  };
}

/** The options of `deadlines add` and `deadlines edit`, as commander hands them over. */
interface DeadlineOptions {
  title?: string;
  due?: string;
  audience?: string;
  offsets?: string;
  submit?: string;
  json?: boolean;
}

export function addDeadline(
  runtime: Runtime,
  admin: AdminActions,
  timeZone: string,
  opts: DeadlineOptions,
  write: Write,
): void {
  const now = runtime.clock.now();
  const title = readTitle(opts.title);
  if (!opts.due) throw new UsageError('--due is required (ISO 8601, e.g. 2026-12-15T17:00+08:00)');
  const dueAt = readDue(opts.due, timeZone, now);
  const d = admin.addDeadline(CLI_ACTOR, {
    title,
    submit: opts.submit?.trim() || null,
    dueAt,
    audience: readAudience(runtime, opts.audience ?? 'all'),
    offsets: opts.offsets ? readOffsets(opts.offsets) : [...DEFAULT_OFFSETS],
    source: 'cli',
  });
  if (opts.json) write(JSON.stringify(deadlineJson(d, timeZone)));
  else
    write(
      `added deadline #${d.id} "${d.title}" due ${formatLocal(d.dueAt, timeZone)} (${timeZone}), reminders ${d.offsets.join(',')}`,
    );
}

function readTitle(text: string | undefined): string {
  const title = text?.trim();
  if (!title) throw new UsageError('--title is required');
  if (title.length > 100 || /\p{Cc}/u.test(title))
    throw new UsageError('--title must be 1-100 characters without control characters');
  return title;
}

function readDue(text: string, timeZone: string, now: number): number {
  const dueAt = parseInstant(text, '--due', timeZone, true);
  if (dueAt <= now) throw new UsageError(`--due ${text} is in the past`);
  return dueAt;
}

function readAudience(runtime: Runtime, text: string): Audience {
  const audience = audienceResolver(runtime.answers.current())(text.replace(/^pilot-cities$/i, '试点城市'));
  if ('error' in audience)
    throw new UsageError(`--audience: ${audience.error} (use all, pilot-cities, city:NAME or unit:NAME)`);
  return audience.audience;
}

function readOffsets(text: string): string[] {
  const offsets = parseOffsets(text);
  if ('error' in offsets) throw new UsageError(`--offsets must look like 7d,3d,1d,0d or 2h (got "${text}")`);
  return offsets.offsets;
}

function readId(text: string): number {
  const id = Number(text.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id < 1)
    throw new UsageError(`ID must be a deadline number such as 3 (got "${text}")`);
  return id;
}

/** `deadlines edit ID [--title] [--due] [--audience] [--offsets] [--submit]`: changes only what is given. */
export function editDeadline(
  runtime: Runtime,
  admin: AdminActions,
  timeZone: string,
  idText: string,
  opts: DeadlineOptions,
  write: Write,
): void {
  const now = runtime.clock.now();
  const id = readId(idText);
  const changes: Partial<Omit<Deadline, 'id'>> = {
    ...(opts.title !== undefined ? { title: readTitle(opts.title) } : {}),
    ...(opts.due !== undefined ? { dueAt: readDue(opts.due, timeZone, now) } : {}),
    ...(opts.audience !== undefined ? { audience: readAudience(runtime, opts.audience) } : {}),
    ...(opts.offsets !== undefined ? { offsets: readOffsets(opts.offsets) } : {}),
    ...(opts.submit !== undefined ? { submit: opts.submit.trim() || null } : {}),
  };
  if (!Object.keys(changes).length)
    throw new UsageError('nothing to change: give --title, --due, --audience, --offsets or --submit');
  const d = admin.editDeadline(CLI_ACTOR, id, changes);
  if (!d) throw new CommandFailed(`no deadline #${id} (see deadlines list)`);
  if (opts.json) write(JSON.stringify(deadlineJson(d, timeZone)));
  else
    write(
      `changed deadline #${d.id} "${d.title}": due ${formatLocal(d.dueAt, timeZone)} (${timeZone}), reminders ${d.offsets.join(',')}`,
    );
}

/** `deadlines remove ID`: deletes the deadline (audited); its reminders stop. */
export function removeDeadline(
  admin: AdminActions,
  timeZone: string,
  idText: string,
  opts: { json?: boolean },
  write: Write,
): void {
  const id = readId(idText);
  const d = admin.removeDeadline(CLI_ACTOR, id);
  if (!d) throw new CommandFailed(`no deadline #${id} (see deadlines list)`);
  if (opts.json) write(JSON.stringify({ removed: deadlineJson(d, timeZone) }));
  else write(`removed deadline #${d.id} "${d.title}" (was due ${formatLocal(d.dueAt, timeZone)})`);
}

export function listDeadlines(runtime: Runtime, timeZone: string, json: boolean, write: Write): void {
  const all = runtime.ports.deadlines.all();
  if (json) {
    write(JSON.stringify(all.map((d) => deadlineJson(d, timeZone))));
    return;
  }
  const names = new Map(runtime.ports.roster.load().units.map((u) => [u.id, u.name]));
  for (const d of all) {
    write(
      `#${d.id}\t${formatLocal(d.dueAt, timeZone)}\t${d.title}\t${audienceLabel(d.audience, (id) => names.get(id))}\t${d.offsets.join(',')}`,
    );
  }
  if (!all.length) write('no deadlines');
}

export function planReminders(
  reminders: ReminderService,
  timeZone: string,
  opts: { from?: string; to?: string; json?: boolean },
  write: Write,
): void {
  if (!opts.from || !opts.to) throw new UsageError('--from and --to are required (ISO 8601)');
  const from = parseInstant(opts.from, '--from', timeZone);
  const to = parseInstant(opts.to, '--to', timeZone);
  if (to <= from) throw new UsageError('--to must be after --from');
  const planned = reminders.plan.scheduled(from, to);
  if (opts.json) {
    write(
      JSON.stringify(
        planned.map((p) => ({
          deadlineId: p.deadlineId,
          chatId: p.chatId,
          fireAt: new Date(p.fireAt).toISOString(),
        })),
      ),
    );
    return;
  }
  for (const p of planned)
    write(`${formatLocal(p.fireAt, timeZone)}\tdeadline #${p.deadlineId}\tchat ${p.chatId}\t${p.occurrence}`);
  if (!planned.length) write('nothing planned in that window');
}

export function listGroups(runtime: Runtime, json: boolean, write: Write): void {
  const names = new Map(runtime.ports.roster.load().units.map((u) => [u.id, u.name]));
  const rows = runtime.ports.bindings.all().map((b) => ({
    chatId: b.chatId,
    kind: b.kind,
    name: b.kind === 'city' ? b.prefecture : (names.get(b.unitId ?? -1) ?? `unit #${b.unitId}`),
    active: b.active,
    ...(b.threadId ? { threadId: b.threadId } : {}),
  }));
  if (json) {
    write(JSON.stringify(rows));
    return;
  }
  for (const r of rows) write(`${r.chatId}\t${r.kind}\t${r.name}\t${r.active ? 'active' : 'inactive'}`);
  if (!rows.length) write('no groups bound');
}

export function listAudit(
  audit: Pick<AuditPort, 'recent'>,
  timeZone: string,
  opts: { json?: boolean; limit?: string },
  write: Write,
): void {
  const limit = Number(opts.limit ?? 50);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError('--limit must be 1-10000');
  const entries = audit.recent(limit);
  if (opts.json) {
    write(
      JSON.stringify(
        entries.map((e) => ({
          id: e.id,
          at: iso(e.at, timeZone),
          actorId: e.actorId,
          channel: e.channel,
          action: e.action,
          subject: e.subject,
          before: e.before,
          after: e.after,
        })),
      ),
    );
    return;
  }
  for (const e of entries) {
    write(
      `#${e.id}\t${formatLocal(e.at, timeZone)}\t${e.channel === 'cli' ? 'cli' : `user ${e.actorId}`}\t${e.action}\t${e.subject}`,
    );
  }
  if (!entries.length) write('no audit entries');
}
