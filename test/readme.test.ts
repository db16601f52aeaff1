import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { audienceResolver } from '../src/app/audience.js';
import { COMMANDS } from '../src/bot/commands.js';
import { systemClock } from '../src/clock.js';
import { parseConfig } from '../src/config.js';
import { parseDeadlineSpec } from '../src/domain/deadlines/spec.js';
import { runtimeOver } from '../src/runtime.js';
import { cli } from './support/cli.js';
import { seededMemoryDb } from './support/db.js';
import { PROJECT_ROOT } from './support/paths.js';
import { tempDir } from './support/tmp.js';

/** The README's examples work when copied as they are. */

const README = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
/** The README's dates are written as of 1 December 2026 (Beijing time). */
const NOW = Date.parse('2026-12-01T00:00:00+08:00');

/** The first fenced block after `heading`. */
function blockAfter(heading: string): string {
  const at = README.indexOf(heading);
  expect(at).toBeGreaterThanOrEqual(0);
  const open = README.indexOf('```', at);
  const start = README.indexOf('\n', open) + 1;
  return README.slice(start, README.indexOf('```', start));
}

/** printf's format with \n; the only escape the README uses. */
const printf = (format: string) => format.replaceAll('\\n', '\n');

describe('README', () => {
  it('every Operator CLI example runs, in order, on one database, from the caller’s folder', async () => {
    const lines = blockAfter('## Operator CLI')
      .split('\n')
      .map((l) => l.replace(/\s+#\s.*$/, '').trim())
      .filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    const caller = tempDir();
    const env = { DATABASE_PATH: join(caller, 'bot.db'), INIT_CWD: caller };
    for (const line of lines) {
      const m = /^(?:printf '([^']*)' \| )?npm run -s cli -- (.+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const input = m![1] === undefined ? '' : printf(m![1]);
      const args = m![2]!.split(/\s+/);
      const r = await cli(args, { input, env, clock: { ...systemClock, now: () => NOW } });
      expect({ line, status: r.status, stderr: r.stderr }).toEqual({ line, status: 0, stderr: '' });
      expect(r.stdout.length, line).toBeGreaterThan(0);
      if (args.includes('--json'))
        for (const out of r.stdout.trimEnd().split('\n')) expect(() => JSON.parse(out), line).not.toThrow();
    }
  });

  it('the /newdeadline example is a valid deadline as written', () => {
    const text = blockAfter('### Coordinators (private chat)').trimEnd();
    expect(text.startsWith('/newdeadline\n')).toBe(true);
    const runtime = runtimeOver(seededMemoryDb(), 'Asia/Shanghai');
    try {
      const parsed = parseDeadlineSpec(text.slice('/newdeadline'.length), {
        timeZone: 'Asia/Shanghai',
        now: NOW,
        resolveAudience: audienceResolver(runtime.answers.current()),
      });
      expect(parsed).toEqual({
        spec: {
          title: '2026年度工作总结',
          dueAt: Date.parse('2026-12-15T17:00:00+08:00'),
          audience: { kind: 'all_units' },
          submit: '工作总结报告(PDF)', // NFKC: full-width brackets become ASCII
          offsets: ['7d', '3d', '1d', '0d'],
          source: null,
        },
      });
    } finally {
      runtime.close();
    }
  });

  it('.env.example is a valid configuration as it stands', () => {
    const env = parseEnv(readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8'));
    const config = parseConfig(env);
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.telegramProxy).toBeUndefined();
  });

  it('the command tables of “Using the bot” list exactly the declared commands, each where and for whom it is declared', () => {
    const section = README.slice(README.indexOf('## Using the bot'), README.indexOf('## Operator CLI'));
    /** Each table (after its header and rule): the commands named in the first column, and the other cells. */
    const tables = section
      .split(/\n\s*\n/)
      .filter((t) => t.startsWith('| command'))
      .map((t) => {
        const [header = '', , ...rows] = t.trim().split('\n');
        return {
          header,
          rows: rows.map((row) => {
            const [first = '', ...cells] = row
              .slice(1, -1)
              .split('|')
              .map((c) => c.trim());
            return { names: [...first.matchAll(/`\/([a-z]+)/g)].map((m) => m[1]!), cells };
          }),
        };
      });
    expect(tables.map((t) => t.header.split('|')[1]!.trim())).toEqual([
      'command',
      'command (in a group)',
      'command',
    ]);
    const [everyone, groups, coordinators] = tables;
    const listed = (table: (typeof tables)[number] | undefined) =>
      new Set(table?.rows.flatMap((r) => r.names));
    expect(new Set(tables.flatMap((t) => [...listed(t)]))).toEqual(new Set(COMMANDS.map((c) => c.name)));
    for (const c of COMMANDS) {
      if (c.who === 'coordinator' || c.who === 'admin') {
        const row = coordinators?.rows.find((r) => r.names.includes(c.name));
        expect(row?.cells[0], c.name).toBe(c.who === 'admin' ? 'admins' : 'admins, city coordinators');
      } else if (c.where === 'group' && !c.hidden) {
        expect(listed(groups), c.name).toContain(c.name);
      } else {
        expect([...listed(everyone), ...listed(groups)], c.name).toContain(c.name);
      }
    }
  });
});
