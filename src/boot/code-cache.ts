import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';

/**
 * Runs the bundled program (one CommonJS file) through V8's code cache: the bytecode of every
 * function the start-up ran when the cache was made, so a start compiles almost nothing. Node 22
 * has this built in (`module.enableCompileCache`); Node 20 does not.
 *
 * The cache file starts with the bundle's size and modification time, then V8's data. V8 itself
 * checks only its own version, its flags and the source's length, so the stamp is what keeps a
 * rebuilt bundle of the same length from running stale bytecode: every build rewrites both files
 * (copies that keep modification times, as Docker's COPY does, keep them matched). A content hash
 * would cost ~6 ms of every start. A cache that is missing, stale or rejected (another node
 * version or V8 flags) costs nothing but the compile it would have saved.
 *
 * Only node's built-in modules here: this runs before anything else is loaded.
 */

const STAMP_BYTES = 16;

/** The bundle's size and modification time, as the cache file's header. */
function stampOf(bundlePath: string): Buffer {
  const { size, mtimeMs } = statSync(bundlePath);
  const stamp = Buffer.alloc(STAMP_BYTES);
  stamp.writeDoubleBE(size, 0);
  stamp.writeDoubleBE(mtimeMs, 8);
  return stamp;
}

export interface CodeCacheRun {
  /** How the bundle was compiled. */
  readonly cache: 'used' | 'missing' | 'stale' | 'rejected';
  /**
   * Writes the cache: the bytecode of every function compiled so far, not only the top level
   * (the build's warm-up run calls it at exit).
   */
  save(): void;
}

/**
 * Runs `bundlePath` as the main program with `cachePath` as its code cache. Returns null when the
 * bundle is not there (a run from the sources); the caller then loads the program another way.
 * The bundle must not `import()` (scripts run this way cannot): the build makes those `require`s.
 */
export function runWithCodeCache(bundlePath: string, cachePath: string): CodeCacheRun | null {
  if (!existsSync(bundlePath)) return null;
  const stamp = stampOf(bundlePath);
  const source = readFileSync(bundlePath, 'utf8');
  const stored = existsSync(cachePath) ? readFileSync(cachePath) : null;
  const fresh =
    stored !== null && stored.length > STAMP_BYTES && stamp.equals(stored.subarray(0, STAMP_BYTES));
  const script = new vm.Script(Module.wrap(source), {
    filename: bundlePath,
    cachedData: fresh ? stored.subarray(STAMP_BYTES) : undefined,
  });
  const cache = !stored ? 'missing' : !fresh ? 'stale' : script.cachedDataRejected ? 'rejected' : 'used';
  const save = () => {
    const temp = `${cachePath}.${process.pid}.tmp`;
    writeFileSync(temp, Buffer.concat([stamp, script.createCachedData()]));
    renameSync(temp, cachePath);
  };

  const module = new Module(bundlePath);
  module.filename = bundlePath;
  const require = createRequire(bundlePath);
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  run(module.exports, require, module, bundlePath, dirname(bundlePath));
  return { cache, save };
}
