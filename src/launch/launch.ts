// Entry of dist/launch.js, required by bin/codexgw.cjs: loads the bundled CLI through the code
// cache and runs it. Built separately from the CLI bundle (it is what loads that bundle), with the
// build's id filled in by scripts/build.mjs.
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { main as Main } from '../cli.js';
import { codeCacheDir, createCodeCacheLoader } from './code-cache.js';

declare const CODEXGW_BUILD_ID: string;

export function launch(args: string[]): void {
  const loader = createCodeCacheLoader(
    codeCacheDir(CODEXGW_BUILD_ID, process.env, tmpdir(), process.getuid?.()),
  );
  // Cache what this run compiled once it is over, so the next start can skip that work.
  process.once('exit', () => loader.flush());
  const { main } = loader.load(path.join(__dirname, 'cli.js')) as { main: typeof Main };
  main(args).then((code) => {
    process.exitCode = code;
  });
}
