import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AppPorts } from '../app/ports.js';
import type { ImportOutcome, ProvinceDiff, RosterDiff } from '../app/roster-diff-types.js';
import { rosterCsv, rosterRows, rosterXlsx } from '../app/roster-export.js';
import type { RowError } from '../app/roster-file.js';
import { importRoster } from '../app/roster-import.js';
import { canonicalProvince } from '../domain/places/hierarchy.js';
import { UsageError, type Write } from './commands.js';

/** A roster file rejected for its content: `error: ...` on stderr, exit status 1. */
export class RosterRejected extends Error {
  override name = 'RosterRejected';
}

/** Row errors printed before "... and N more". */
export const PRINTED_ERRORS = 50;
/** Items listed per section (added units of a province, ...) before "... and N more". */
export const LISTED_ITEMS = 200;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const show = (v: string | null) => (v === null || v === '' ? '—' : v);

/** The row errors as lines for the operator, at most `limit` of them. */
export function formatErrors(errors: readonly RowError[], limit = PRINTED_ERRORS): string[] {
  const lines = errors.slice(0, limit).map((e) => {
    const where = e.row === null ? 'file' : `row ${e.row}`;
    return `  ${where}${e.column ? `, ${e.column}` : ''}: ${e.message}`;
  });
  if (errors.length > limit) lines.push(`  ... and ${errors.length - limit} more`);
  return lines;
}

function listed<T>(items: readonly T[], line: (item: T) => string): string[] {
  const out = items.slice(0, LISTED_ITEMS).map(line);
  if (items.length > LISTED_ITEMS) out.push(`  ... and ${items.length - LISTED_ITEMS} more (see --json)`);
  return out;
}

function provinceLines(p: ProvinceDiff): string[] {
  const lines = [
    `${p.province}: units ${p.before.units} → ${p.after.units} (+${p.units.added.length} ~${p.units.changed.length} -${p.units.removed.length}, ${p.units.unchanged} unchanged); cities ${p.before.cities} → ${p.after.cities}`,
  ];
  lines.push(
    ...listed(p.cities.added, (c) => `  + city ${c.name}${c.pilotCity ? ' (pilot city)' : ''}`),
    ...listed(
      p.cities.changed,
      (c) =>
        `  ~ city ${c.name}: pilot city ${c.pilotCity.from ? '是' : '否'} → ${c.pilotCity.to ? '是' : '否'}`,
    ),
    ...listed(p.cities.removed, (c) => {
      const notes = [
        c.boundGroups
          ? `${plural(c.boundGroups, 'city group')} ${c.boundGroups === 1 ? 'is' : 'are'} bound to it`
          : '',
        c.coordinators
          ? `${plural(c.coordinators, 'city coordinator')} ${c.coordinators === 1 ? 'is' : 'are'} assigned to it`
          : '',
      ].filter(Boolean);
      return `  - city ${c.name}${notes.length ? ` (warning: ${notes.join('; ')})` : ''}`;
    }),
    ...listed(
      p.units.added,
      (u) =>
        `  + unit ${u.name} (row ${u.row}): ${[u.prefecture, u.county, u.kind, u.contactPerson, u.contactPhone].filter(Boolean).join(', ')}`,
    ),
    ...listed(p.units.changed, (u) => {
      const fields = u.changes.map((c) => `${c.field} ${show(c.from)} → ${show(c.to)}`).join('; ');
      const moved = u.changes.some((c) => c.field === 'prefecture') && u.boundGroups;
      const follow = u.boundGroups === 1 ? 'its bound group moves' : `its ${u.boundGroups} bound groups move`;
      return `  ~ unit ${u.name} (row ${u.row}): ${fields}${moved ? ` (${follow} with it)` : ''}`;
    }),
    ...listed(p.units.removed, (u) => {
      const notes = [
        u.boundGroups
          ? `${plural(u.boundGroups, 'bound group')} will lose ${u.boundGroups === 1 ? 'its' : 'their'} binding`
          : '',
        u.acknowledgements ? `${plural(u.acknowledgements, '已完成 mark')} will be deleted` : '',
        u.deadlines ? `it leaves the audience of ${plural(u.deadlines, 'deadline')}` : '',
      ].filter(Boolean);
      return `  - unit ${u.name} (${u.prefecture})${notes.length ? ` — warning: ${notes.join('; ')}` : ''}`;
    }),
  );
  if (p.kept.units || p.kept.cities)
    lines.push(
      `  kept: ${plural(p.kept.units, 'unit')} and ${plural(p.kept.cities, 'city', 'cities')} of ${p.province} are not in the file and stay (--prune removes them)`,
    );
  return lines;
}

/** The diff for the operator, one line per change (long sections shortened). */
export function formatDiff(diff: RosterDiff): string[] {
  if (diff.empty)
    return [
      'no changes',
      ...diff.provinces
        .filter((p) => p.kept.units)
        .map(
          (p) =>
            `kept: ${plural(p.kept.units, 'unit')} of ${p.province} are not in the file and stay (--prune removes them)`,
        ),
    ];
  const t = diff.totals;
  const lines = diff.provinces.flatMap(provinceLines);
  lines.push(
    `total: units +${t.addedUnits} ~${t.changedUnits} -${t.removedUnits}; cities +${t.addedCities} ~${t.changedCities} -${t.removedCities}`,
  );
  if (t.lostBindings)
    lines.push(
      `warning: ${plural(t.lostBindings, 'bound group')} will lose ${t.lostBindings === 1 ? 'its' : 'their'} binding (their units are removed)`,
    );
  if (t.lostAcknowledgements)
    lines.push(`warning: ${plural(t.lostAcknowledgements, '已完成 mark')} of removed units will be deleted`);
  return lines;
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`cannot read ${file}: no such file`);
    if (code === 'EISDIR') throw new UsageError(`cannot read ${file}: it is a directory`);
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function outcomeJson(outcome: ImportOutcome): string {
  return JSON.stringify({
    ok: outcome.ok,
    errors: outcome.errors,
    diff: outcome.diff,
    applied: outcome.applied,
  });
}

/**
 * `roster import FILE [--apply] [--prune] [--json]`: prints the diff against the database; with
 * --apply writes it in one transaction. Units of the file's provinces that the file leaves out are
 * removed only with --prune. A rejected file throws RosterRejected after printing nothing on
 * stdout (or the JSON object with --json); the database is untouched.
 */
export async function rosterImportCommand(
  ports: AppPorts,
  file: string,
  opts: { apply?: boolean; prune?: boolean; json?: boolean },
  write: Write,
): Promise<ImportOutcome> {
  const bytes = readInput(file);
  const name = basename(file);
  const outcome = await importRoster(ports, bytes, name, {
    apply: Boolean(opts.apply),
    prune: Boolean(opts.prune),
    channel: 'cli',
  });
  if (opts.json) write(outcomeJson(outcome));
  if (!outcome.ok) {
    const head = `${name} rejected: ${plural(outcome.errors.length, 'problem')}; nothing was changed`;
    throw new RosterRejected([head, ...formatErrors(outcome.errors)].join('\n'));
  }
  if (opts.json || !outcome.diff || !outcome.file) return outcome;
  const f = outcome.file;
  write(
    `read ${f.name}: ${f.format.toUpperCase()}${f.format === 'csv' ? `, ${f.encoding}` : ''}, ${plural(f.rows, 'data row')}`,
  );
  for (const line of formatDiff(outcome.diff)) write(line);
  if (outcome.diff.empty) return outcome;
  if (outcome.applied)
    write(`applied: roster version is now ${ports.roster.version()}; audit entry recorded`);
  else write('dry run: nothing was changed; run again with --apply to write these changes');
  return outcome;
}

/** Writes a file via a temporary sibling and a rename, so a reader never sees half of it. */
function writeAtomically(path: string, data: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const JSON_KEYS = [
  'province',
  'prefecture',
  'name',
  'kind',
  'county',
  'contactPerson',
  'contactPhone',
  'pilotCity',
];

/**
 * `roster export [--format csv|xlsx] [--out FILE] [--province NAME] [--json]`: CSV on stdout, or
 * either format to FILE (the format follows the extension unless --format says otherwise). With
 * --json: the units as a JSON array on stdout, or with --out a JSON summary of what was written.
 */
export async function rosterExportCommand(
  ports: AppPorts,
  opts: { format?: string; out?: string; province?: string; json?: boolean },
  stdout: (chunk: Uint8Array) => void,
  write: Write,
): Promise<void> {
  const format = (opts.format ?? (opts.out && /\.xlsx$/i.test(opts.out) ? 'xlsx' : 'csv')).toLowerCase();
  if (format !== 'csv' && format !== 'xlsx')
    throw new UsageError(`--format must be csv or xlsx (got "${opts.format}")`);
  if (format === 'xlsx' && !opts.out) throw new UsageError('XLSX is a binary file: give --out FILE.xlsx');
  let province: string | undefined;
  if (opts.province !== undefined) {
    province = canonicalProvince(opts.province) ?? undefined;
    if (!province) throw new UsageError(`--province: unknown province "${opts.province}"`);
  }
  const scope = province ? { province } : {};
  const units = () => rosterRows(ports, scope).filter((r) => r[2] !== '');
  if (opts.json && !opts.out) {
    write(JSON.stringify(units().map((r) => Object.fromEntries(JSON_KEYS.map((k, i) => [k, r[i] ?? ''])))));
    return;
  }
  const data = format === 'xlsx' ? await rosterXlsx(ports, scope) : rosterCsv(ports, scope);
  if (!opts.out) {
    stdout(data);
    return;
  }
  writeAtomically(opts.out, data);
  const count = units().length;
  if (opts.json) write(JSON.stringify({ out: opts.out, format, units: count }));
  else
    write(
      `wrote ${plural(count, 'unit')}${province ? ` of ${province}` : ''} to ${opts.out} (${format.toUpperCase()})`,
    );
}
