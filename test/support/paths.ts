import { join } from 'node:path';

/** The project's data/ folder (the reviewed roster files). */
export const DATA_DIR = join(import.meta.dirname, '..', '..', 'data');
