import { spawnSync } from 'node:child_process';
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runWithCodeCache } from '../../src/boot/code-cache.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { removeTempDir, tempDir } from '../support/tmp.js';

// Each start is a process of its own, as in production: V8 reads a code cache only when a
// script is not already compiled in the process. The loader is the built one (dist/boot).
const LOADER = join(PROJECT_ROOT, 'dist', 'boot', 'code-cache.js');

/** A bundle that prints its version, its file name and that `require` works from it. */
const bundle = (version: string) =>
  `process.stdout.write(${JSON.stringify(version)} + ':' + require('node:path').basename(__filename) + '\\n');\n`;

/** Starts `file` through the loader in a new node; `save` writes the cache at the end. */
function start(
  file: string,
  cache: string,
  { save = false, flags = [] as string[], env = {} as Record<string, string> } = {},
) {
  const script = `import { runWithCodeCache } from ${JSON.stringify(LOADER)};
const run = runWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cache)});
console.log(run === null ? 'no bundle' : run.cache);
${save ? 'run.save();' : ''}`;
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    input: '',
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n');
}

describe('runWithCodeCache (the production entry runs the bundle through it)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) removeTempDir(dir);
    dir = undefined;
  });

  function files() {
    dir = tempDir('kczm-code-cache-');
    return { file: join(dir, 'program.cjs'), cache: join(dir, 'program.cjs.cache') };
  }

  it('runs the bundle without a cache, then from the cache it saved', () => {
    const { file, cache } = files();
    writeFileSync(file, bundle('v1'));
    expect(start(file, cache, { save: true })).toEqual(['v1:program.cjs', 'missing']);
    expect(start(file, cache)).toEqual(['v1:program.cjs', 'used']);
  });

  it('never runs stale bytecode: a rebuilt bundle of the same length is compiled afresh', () => {
    const { file, cache } = files();
    writeFileSync(file, bundle('v1'));
    start(file, cache, { save: true });
    // The next build: same length (V8's own check would pass), other content, a later mtime.
    writeFileSync(file, bundle('v2'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    expect(readFileSync(file, 'utf8')).toHaveLength(bundle('v1').length);
    expect(start(file, cache)).toEqual(['v2:program.cjs', 'stale']);
  });

  it('runs the bundle when V8 rejects the cache: other node flags, a damaged file', () => {
    const { file, cache } = files();
    writeFileSync(file, bundle('v1'));
    start(file, cache, { save: true, flags: ['--max-semi-space-size=1'] });
    expect(start(file, cache, { flags: ['--max-semi-space-size=1'] })).toEqual(['v1:program.cjs', 'used']);
    expect(start(file, cache, { flags: ['--max-semi-space-size=2'] })).toEqual([
      'v1:program.cjs',
      'rejected',
    ]);
    const saved = readFileSync(cache);
    // The stamp still matches; the V8 data behind it is garbage.
    writeFileSync(cache, Buffer.concat([saved.subarray(0, 16), Buffer.alloc(saved.length - 16, 7)]));
    expect(start(file, cache, { flags: ['--max-semi-space-size=1'] })).toEqual([
      'v1:program.cjs',
      'rejected',
    ]);
  });

  it("accepts the build's cache of the bot under npm start's node flags", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    const flags = /node\s+(.*?)\s*dist\/main\.cjs/.exec(pkg.scripts.start)?.[1]?.split(/\s+/) ?? [];
    expect(flags).toContain('--max-semi-space-size=1');
    dir = tempDir('kczm-code-cache-');
    const program = join(PROJECT_ROOT, 'dist', 'program.cjs');
    // The offline console over a throwaway database, ending at once on empty input.
    const out = start(program, `${program}.cache`, {
      flags,
      env: { BOT_TOKEN: '', DATABASE_PATH: join(dir, 'bot.db'), LOG_LEVEL: 'warn' },
    });
    expect(out.at(-1)).toBe('used');
  });

  it('returns null without a bundle (a run from the sources)', () => {
    const { file, cache } = files();
    expect(runWithCodeCache(file, cache)).toBeNull();
  });
});
