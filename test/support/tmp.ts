import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created = new Set<string>();

/**
 * A fresh folder in the system temp dir, removed after the test file (test/support/setup.ts) or
 * earlier with removeTempDir. Every test takes its temp folders from here.
 */
export function tempDir(prefix = 'kczm-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  created.delete(dir);
}

/** Removes every folder tempDir made in this test file. */
export function removeTempDirs(): void {
  for (const dir of [...created]) removeTempDir(dir);
}
