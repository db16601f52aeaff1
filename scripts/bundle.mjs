// Part of `npm run build`, after tsc: the bot's entry is bundled from src/main.ts over tsc's
// dist/main.js, with our modules, zod and drizzle-orm inlined: their ~300 small ES modules cost
// ~200 ms at start when loaded one by one. It is bundled from the sources, not from tsc's output,
// because an incremental tsc does not re-emit dist/main.js when only a module it imports changed.
// Every other package stays a plain import from node_modules (native, CommonJS or loaded lazily).
// Minified so the one script's parse stays small: the idle RSS is that of the unbundled build.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const INLINED = new Set(['zod', 'drizzle-orm']);
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies).filter((name) => !INLINED.has(name));

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external,
  minify: true,
  // Error classes keep their names (logs, instanceof-free checks).
  keepNames: true,
  sourcemap: true,
  logLevel: 'warning',
});
