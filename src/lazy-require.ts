import { createRequire } from 'node:module';

/**
 * `require` for CommonJS packages loaded on first use (pinyin-pro, prom-client, exceljs). In the
 * production bundle, itself CommonJS, an `import()` would start node's ES module loader and parse
 * the package once more for its export names (~3 MB at idle for prom-client alone).
 */
export const lazyRequire = createRequire(import.meta.url);
