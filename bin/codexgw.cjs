#!/usr/bin/env node
// Tiny launcher, CommonJS because Node starts a CommonJS entry faster than an ES module.
// `--version` is answered from package.json without loading the CLI (and written with writeSync:
// process.stdout would build a stream); everything else goes through dist/launch.js, which loads
// the bundled CLI with V8's code cache.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const fs = require('node:fs');
  const { version } = JSON.parse(fs.readFileSync(`${__dirname}/../package.json`, 'utf8'));
  try {
    fs.writeSync(1, `${version}\n`);
  } catch {
    // stdout closed (`codexgw --version | true`): nothing to say, and nowhere to say it.
  }
} else {
  require('../dist/launch.js').launch(args);
}
