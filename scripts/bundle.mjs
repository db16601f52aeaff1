// Part of `npm run build`, after tsc. Two steps:
//
// 1. The program (src/program.ts) is bundled into one CommonJS file, dist/program.cjs, with our
//    modules, zod, drizzle-orm and telegraf inlined: their ~400 small modules cost ~250 ms at
//    start when loaded and compiled one by one. Bundled from the sources, not from tsc's output,
//    because an incremental tsc does not re-emit a file when only a module it imports changed.
//    Every other package stays a require from node_modules: native (better-sqlite3), large data
//    (opencc's and the area tables' literals, and whatwg-url's tr46 table, which cost several MB
//    more at idle when inlined), loaded lazily, or costing more idle memory inlined than the
//    time they save (pino, luxon, node-cron: ~3 MB each). CommonJS, because Node 20 can give a script a code cache,
//    not an ES module, and because CommonJS packages imported from an ES module are each parsed
//    once more for their export names. The entry, src/main.ts, becomes dist/main.cjs: no ES
//    module at all in a production start.
// 2. A warm-up run of the offline console (what `npm start` does without a token) answers a few
//    questions and saves V8's code cache for the bundle at exit (src/boot/code-cache.ts), so the
//    real start compiles almost nothing. Its node flags are npm start's: V8 rejects a cache made
//    under other flags.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const INLINED = new Set(['zod', 'drizzle-orm', 'telegraf']);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies).filter((name) => !INLINED.has(name)), 'whatwg-url'];

const commonJs = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external,
  // import() becomes require(): a script run with a code cache cannot import(). Node ≥ 20.19
  // requires ES modules (the proxy agents) as well.
  supported: { 'dynamic-import': false },
  // What the ES modules read from import.meta, as CommonJS has it.
  define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__import_meta_url' },
  banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  minify: true,
  // Error classes keep their names (logs, instanceof-free checks).
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
};
await build({ ...commonJs, entryPoints: ['src/program.ts'], outfile: 'dist/program.cjs' });
// The operator CLI, bundled the same way (`npm run cli`: one file instead of ~300 modules).
await build({ ...commonJs, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.cjs' });
// The entry's fallback import of the unbundled program stays an import.
await build({
  ...commonJs,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.cjs',
  external: [...external, './program.js'],
});

const flags = /\bnode\s+(.*?)\s*dist\/main\.cjs/.exec(pkg.scripts.start)?.[1]?.split(/\s+/).filter(Boolean);
if (!flags) throw new Error('package.json: the start script does not run node … dist/main.cjs');

const WARM_UP = [
  '/start',
  '/help',
  '张掖中学是试点吗',
  '我们是兰州市第一中学，还有天水市实验小学，都是试点单位吗？',
  '酒泉有哪些试点单位',
  '甘肃省科技馆',
  'zhangye zhongxue',
  '北京四中是试点吗',
].join('\n');
// What dist/main.cjs does, and at exit the cache of everything the run compiled.
const program = join(process.cwd(), 'dist', 'program.cjs');
const WRITE_CACHE = `import { runWithCodeCache } from './dist/boot/code-cache.js';
const run = runWithCodeCache(${JSON.stringify(program)}, ${JSON.stringify(`${program}.cache`)});
process.once('exit', () => run.save());`;
const dir = mkdtempSync(join(tmpdir(), 'kczm-warm-'));
try {
  const run = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', WRITE_CACHE], {
    input: `${WARM_UP}\n`,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      // Never the real bot: a token in .env is overridden by the empty one.
      BOT_TOKEN: '',
      DATABASE_PATH: join(dir, 'warm.db'),
      ADMIN_USER_IDS: '1',
      LOG_LEVEL: 'warn',
    },
  });
  if (run.status !== 0 || !run.stdout.includes('张掖中学')) {
    throw new Error(`the warm-up run failed (status ${run.status}):\n${run.stderr}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
