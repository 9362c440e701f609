import { defineConfig } from 'vitest/config';

/**
 * Test files that run real shells, a pseudo-terminal, Codex or the built CLI: the `full` project.
 * Every other file is `quick` (`npm run test:quick`: no real programs, no build). A quick file
 * that reaches for one fails with a pointer here (test/helpers/tools.ts).
 */
const FULL_ONLY = [
  'test/e2e/**',
  'test/package/**',
  'test/oracle/**',
  'test/shell/**',
  'test/command/doctor.test.ts',
  'test/command/doctor-fix.test.ts',
  'test/command/doctor-fix-all.test.ts',
  'test/command/config-set.test.ts',
  'test/command/status.test.ts',
  'test/command/doctor-online.test.ts',
  'test/command/env-list-print.test.ts',
  'test/command/env-set.test.ts',
  'test/command/init.test.ts',
  'test/command/pin.test.ts',
];

export default defineConfig({
  test: {
    // No include here: the projects below split the files, and extending would merge the lists.
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn real shells, the real codex binary and the built CLI: two cores, keep it modest.
    maxWorkers: 2,
    env: { NO_COLOR: '1', RUST_BACKTRACE: '0' },
    projects: [
      {
        extends: true,
        test: {
          name: 'quick',
          include: ['test/**/*.test.ts'],
          exclude: FULL_ONLY,
          env: { NO_COLOR: '1', RUST_BACKTRACE: '0', CODEXGW_TEST_QUICK: '1' },
        },
      },
      {
        extends: true,
        // The Node lines the built CLI runs on (test/helpers/node-lines.ts), installed when missing.
        test: { name: 'full', include: FULL_ONLY, globalSetup: ['test/helpers/node-lines.setup.ts'] },
      },
    ],
  },
});
