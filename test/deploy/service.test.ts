import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/paths.js';
import { tempDir } from '../support/tmp.js';

/** The deploy files say what an operator relies on; the compiled start they name really starts. */

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

/** `[Section]` → key → values (a key may repeat), comments and blank lines dropped. */
function unitFile(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1)]);
  }
  return sections;
}

describe('deploy/kczm-bot.service', () => {
  const service = unitFile(read('deploy/kczm-bot.service')).get('Service')!;
  const one = (key: string) => service.get(key)?.at(-1);

  it('restarts always, as a dedicated non-root user, and lets the graceful shutdown finish', () => {
    expect(one('Restart')).toBe('always');
    expect(one('User')).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(one('User')).not.toBe('root');
    // mixed: SIGTERM to the main process only (node runs the shutdown), SIGKILL for what is left.
    expect(one('KillMode')).toBe('mixed');
    expect(one('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    expect(Number.parseInt(one('TimeoutStopSec') ?? '0', 10)).toBeGreaterThanOrEqual(15);
    expect(one('StateDirectory')).toBe('kczm-bot');
    expect(service.get('Environment')).toContain('DATABASE_PATH=/var/lib/kczm-bot/bot.db');
  });

  it('starts the compiled bot under plain node, as npm start and the Docker image do', () => {
    const exec = one('ExecStart')!;
    expect(exec).toBe('/usr/bin/node --max-semi-space-size=1 dist/main.cjs');
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('exec node --max-semi-space-size=1 dist/main.cjs');
    expect(pkg.scripts.prepare).toContain('build');
    expect(read('Dockerfile')).toContain('CMD ["node", "--max-semi-space-size=1", "dist/main.cjs"]');
    expect(read('Dockerfile')).toMatch(/^USER (?!root)\w+$/m);
    expect(read('.dockerignore').split('\n')).toEqual(
      expect.arrayContaining(['.env', 'data/*.db', 'node_modules']),
    );
  });

  it('ExecStart works from the project folder: the offline console answers on stdin', () => {
    const args = one('ExecStart')!.split(' ').slice(1);
    const r = spawnSync(process.execPath, args, {
      cwd: PROJECT_ROOT,
      input: '张掖中学是试点吗\n',
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', DATABASE_PATH: join(tempDir(), 'bot.db'), TZ: 'UTC' },
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('名单全称：张掖中学');
  });
});
