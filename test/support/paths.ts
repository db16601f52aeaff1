import { join } from 'node:path';

/** The repository root. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** The project's data/ folder (the reviewed roster files). */
export const DATA_DIR = join(PROJECT_ROOT, 'data');
