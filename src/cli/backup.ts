import { backupDatabase } from '../db/client.js';
import type { Write } from './commands.js';

/** `backup FILE [--json]`: an online, verified copy of the database (see backupDatabase). */
export async function backupCommand(
  databasePath: string,
  file: string,
  opts: { json?: boolean },
  write: Write,
): Promise<void> {
  const result = await backupDatabase(databasePath, file);
  if (opts.json) write(JSON.stringify(result));
  else
    write(
      `backed up ${databasePath} to ${result.file} (${result.pages} pages, ${result.bytes} bytes); integrity check ok`,
    );
}
