import { createRequire } from 'node:module';

/**
 * `require` for CommonJS packages loaded synchronously on first use, not at start: pinyin-pro
 * (~11 MB of tables), csv-parse (the seed, roster files) and prom-client (once polling runs).
 */
export const lazyRequire = createRequire(import.meta.url);
