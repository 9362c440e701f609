#!/usr/bin/env node
// Tiny launcher, CommonJS because Node starts a CommonJS entry faster than an ES module.
// `--version` is answered from package.json without loading the CLI (and written with writeSync:
// process.stdout would build a stream); everything else goes through dist/launch.js, which loads
// the bundled CLI with V8's code cache. launch.js is compiled here with node:vm, as Node would
// wrap a CommonJS module, rather than require()d: that skips module resolution, realpath and the
// package.json lookups (measured: ~1.4 M instructions, about 0.5 ms, of every start).
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
  const path = require('node:path');
  const dist = path.join(__dirname, '..', 'dist');
  const file = path.join(dist, 'launch.js');
  let source;
  try {
    source = require('node:fs').readFileSync(file, 'utf8');
  } catch {
    process.stderr.write(
      `error: ${file} is missing: this copy of codexgw is not built.\n  fix: run \`npm run build\` in ${path.dirname(dist)} (npm install runs it).\n`,
    );
    process.exit(4); // EXIT.internal (src/errors.ts)
  }
  // The wrapper Node (and src/launch/code-cache.ts, for the bundles) puts around a CommonJS module.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const launcher = { exports: {} };
  const run = new (require('node:vm').Script)(wrapped, { filename: file }).runInThisContext();
  run(launcher.exports, require, launcher, file, dist);
  launcher.exports.launch(args);
}
