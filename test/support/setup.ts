import { afterAll } from 'vitest';
import { removeTempDirs } from './tmp.js';

// Every test file removes the temp folders it made, whether its tests passed or not.
afterAll(removeTempDirs);
