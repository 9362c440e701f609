// Entry of dist/launch.js, which bin/codexgw.cjs compiles and runs: loads the bundle that holds the command
// (dist/read.js, switch.js or main.js) through the code cache and runs it. Built separately from the
// bundles (it is what loads them), with the build's id filled in by scripts/build.mjs.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { main as Main } from '../cli.js';
import { codeCacheDir, createCodeCacheLoader, tempDir } from './code-cache.js';

declare const CODEXGW_BUILD_ID: string;

export function launch(args: string[]): void {
  const cacheDir = codeCacheDir(CODEXGW_BUILD_ID, process.env, tempDir(process.env), process.getuid?.());
  const loader = createCodeCacheLoader(cacheDir);
  // Cache what this run compiled once it is over, so the next start can skip that work. A bundle's
  // cache is written by the first run that loads it; the first run of each other command in it
  // rewrites it, so that it also holds that command's functions (measured: validate ran ~3 ms
  // slower from a cache that the test suite's first run had written). A marker file per command
  // (`ran-validate`) records the commands seen.
  const marker = cacheDir && path.join(cacheDir, `ran-${args.find((a) => !a.startsWith('-')) ?? 'help'}`);
  const refresh = marker !== undefined && !existsSync(marker);
  process.on('exit', () => {
    loader.flush({ refresh });
    if (refresh) writeMarker(marker);
  });
  // One self-contained file per group of commands: the command's code is one read and one cache.
  const bundle = path.join(__dirname, 'main.js');
  const { main } = loader.load(bundle) as { main: typeof Main };
  // Exit as soon as the command is done, rather than letting Node run the GC tasks still queued
  // and tear the environment down (measured with callgrind: 2.6 M instructions fewer for
  // `validate`, whose last scavenge was still queued; 0.7 M for `use`). Nothing is lost: output
  // that is not a terminal is written with writeSync, Node makes terminal writes blocking, and the
  // 'exit' listener above still writes the code cache.
  main(args).then((code) => process.exit(code));
}

function writeMarker(file: string): void {
  try {
    writeFileSync(file, '', { mode: 0o600 });
  } catch {
    // No marker: the next run of this command refreshes the cache again, which is only slower.
  }
}
