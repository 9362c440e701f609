/**
 * Loaded before every test file (vitest.config.ts setupFiles): temp dirs made outside a test
 * are removed when the file's tests are done, not left in the OS temp dir.
 */
import { afterAll } from 'vitest';
import { cleanupTempDirs } from './tmp.ts';

afterAll(cleanupTempDirs);
