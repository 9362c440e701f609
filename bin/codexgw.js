#!/usr/bin/env node
// Tiny launcher. `--version` is answered from package.json without loading the CLI; everything
// else enables Node's module compile cache (Node 22.1+) and imports the bundled CLI.
import { readFileSync } from 'node:fs';
import module from 'node:module';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  module.enableCompileCache?.();
  const { main } = await import('../dist/cli.js');
  process.exitCode = await main(args);
}
