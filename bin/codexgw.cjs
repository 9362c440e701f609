#!/usr/bin/env node
// Tiny launcher, CommonJS because Node starts a CommonJS entry faster than an ES module.
// `--version` is answered from package.json without loading the CLI; everything else goes through
// dist/launch.js, which loads the bundled CLI with V8's code cache.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  require('../dist/launch.js').launch(args);
}
