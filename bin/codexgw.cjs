#!/usr/bin/env node
// The codexgw command. CommonJS and a few lines, because every start runs it: check the Node
// version, turn on Node's compile cache, load the bundle (dist/cli.cjs, scripts/build.mjs).
const args = process.argv.slice(2);
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.stderr.write(`error: codexgw needs Node.js 22 or later; this is Node.js ${process.version}.\n`);
  process.exit(1); // EXIT.failure (src/errors.ts)
}
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered without loading the CLI; `| true` may close stdout before the write, hence the catch.
  try {
    require('node:fs').writeSync(1, `${require('../package.json').version}\n`);
  } catch {}
  process.exit(0);
}
require('node:module').enableCompileCache?.();
// Under --debug, stack traces point into src/ through the bundle's source map.
if (args.includes('--debug') || /\bcodexgw\b/.test(process.env.DEBUG ?? ''))
  process.setSourceMapsEnabled(true);
const bundle = require('node:path').join(__dirname, '..', 'dist', 'cli.cjs');
let cli;
try {
  cli = require(bundle);
} catch (err) {
  if (err.code !== 'MODULE_NOT_FOUND' || !err.message.includes(bundle)) throw err;
  process.stderr.write(
    `error: ${bundle} is missing: this copy of codexgw is not built.\n  fix: run \`npm run build\` in ${require('node:path').dirname(__dirname)}.\n`,
  );
  process.exit(4); // EXIT.internal (src/errors.ts)
}
cli.main(args).then((code) => process.exit(code));
