// Entry of dist/launch.js, required by bin/codexgw.cjs: loads the bundle that holds the command
// (dist/read.js, switch.js or main.js) through the code cache and runs it. Built separately from the
// bundles (it is what loads them), with the build's id filled in by scripts/build.mjs.
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { main as Main } from '../cli.js';
import { bundleFor } from '../command-word.js';
import { codeCacheDir, createCodeCacheLoader } from './code-cache.js';

declare const CODEXGW_BUILD_ID: string;

export function launch(args: string[]): void {
  const loader = createCodeCacheLoader(
    codeCacheDir(CODEXGW_BUILD_ID, process.env, tmpdir(), process.getuid?.()),
  );
  // Cache what this run compiled once it is over, so the next start can skip that work.
  process.once('exit', () => loader.flush());
  // One self-contained file per group of commands: the command's code is one read and one cache.
  const bundle = path.join(__dirname, `${bundleFor(args)}.js`);
  const { main } = loader.load(bundle) as { main: typeof Main };
  main(args).then((code) => {
    process.exitCode = code;
  });
}
