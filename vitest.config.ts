import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests spawn real shells, the real codex binary and the built CLI: two cores, keep it modest.
    maxWorkers: 2,
    env: { NO_COLOR: '1', RUST_BACKTRACE: '0' },
  },
});
