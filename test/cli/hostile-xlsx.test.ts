import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRosterFile } from '../../src/app/roster-file.js';
import { cli } from '../support/cli.js';
import { manyRows, zipBomb } from '../support/hostile-xlsx.js';
import { seededDbFile, sha256 } from '../support/roster-files.js';
import { tempDir } from '../support/tmp.js';

/**
 * Hostile XLSX imports are refused before anything is unpacked: a zip bomb (honest or lying
 * about its size) and a sheet with 200,000 rows. Clear English error, nothing written.
 */

const dir = tempDir('kczm-hostile-');

describe('hostile XLSX files', () => {
  it.each([
    [
      'an honest zip bomb (300 MB declared)',
      () => zipBomb(300, false),
      /would unpack to 30\d MB \(at most 8 MB\)/,
    ],
    [
      'a zip bomb lying about its size',
      () => zipBomb(300, true),
      /unpacks to more than the 4096 bytes it declares/,
    ],
    ['a sheet with 200,000 rows', () => manyRows(200_000), /more than 20010 rows/],
  ])(
    'refuses %s; the CLI writes nothing',
    async (_label, make, reason) => {
      const bytes = await make();
      const path = join(dir, 'hostile.xlsx');
      writeFileSync(path, bytes);
      // Small on disk.
      expect(statSync(path).size).toBeLessThan(4 * 1024 * 1024);
      const read = await readRosterFile(bytes, 'hostile.xlsx');
      expect(read.ok).toBe(false);
      const message = read.ok ? '' : read.errors.map((e) => e.message).join('\n');
      expect(message).toMatch(/^refusing the XLSX workbook: /);
      expect(message).toMatch(reason);

      const db = seededDbFile();
      const hash = sha256(db);
      const result = await cli(['roster', 'import', path, '--apply'], { env: { DATABASE_PATH: db } });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('refusing the XLSX workbook');
      expect(result.stdout).not.toContain('applied');
      expect(sha256(db)).toBe(hash);
    },
    60_000,
  );
});
