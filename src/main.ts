import { fileURLToPath } from 'node:url';
import { runWithCodeCache } from './boot/code-cache.js';

/**
 * The entry of `npm start` and `npm run dev`. The production build (scripts/bundle.mjs) bundles
 * this file into dist/main.cjs and the program (program.ts) into dist/program.cjs, which runs here
 * through V8's code cache. From the sources (tsx), the program is imported as it is.
 */
const bundle = fileURLToPath(new URL('./program.cjs', import.meta.url));
if (!runWithCodeCache(bundle, `${bundle}.cache`)) void import('./program.js');
