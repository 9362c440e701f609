// Bundle the CLI into dist/ as CommonJS files that dist/launch.js loads with V8's code cache (see
// src/launch/code-cache.ts):
//   read.js   the CLI with the read-only commands (validate, config show/get): what CI runs
//   switch.js the CLI with the quick edits (use, model set/list)
//   main.js   the CLI with every other command (init, doctor, provider, env, restore, ...)
//   lazy/     heavy dependencies that only some paths use (prompts, execa), loaded on first use
// One self-contained file per group, rather than a split build of shared chunks: a command's code
// is then one file to read and one cache to deserialise, and no module interop between chunks
// (measured: validate and config show ~3 ms faster than with 6 chunks).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};

/**
 * commander requires node:child_process at load time, only to spawn stand-alone executable
 * subcommands, which codexgw does not have. Loading it pulls in net, dgram and the stream stack
 * (~3 ms of every start); this shim defers the require to the first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'lazy-child-process', namespace: 'codexgw-lazy' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'codexgw-lazy' }, () => ({
      contents:
        "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

/**
 * `import path from 'node:path'` is bundled as __toESM(require('node:path')), which copies each
 * export of the module onto a new object, at start-up, once per importing file. Our sources import
 * node:path only by default, so it resolves to a module whose default export is the built-in itself.
 */
const pathWithoutInterop = {
  name: 'path-without-interop',
  setup(b) {
    b.onResolve({ filter: /^node:path$/ }, (args) =>
      args.importer.includes(`${path.sep}src${path.sep}`)
        ? { path: 'node:path', namespace: 'codexgw-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'codexgw-builtin' }, () => ({
      contents: "export default require('node:path');",
      loader: 'js',
    }));
  },
};

/** Heavy dependencies stay out of the bundles: `import('execa')` becomes require('./lazy/execa.js'). */
const LAZY = { '@inquirer/prompts': 'prompts', execa: 'execa' };
const lazyDependencies = {
  name: 'lazy-dependencies',
  setup(b) {
    b.onResolve({ filter: /^(@inquirer\/prompts|execa)$/ }, (args) => ({
      path: `./lazy/${LAZY[args.path]}.js`,
      external: true,
    }));
  },
};

/**
 * zod only explains why a config fails its shape (src/config/schema-shape.ts): a config that
 * passes never calls it. There, `import * as z from 'zod/mini'` resolves to forwarders that load
 * dist/lazy/zod.js on the first call (measured: ~2 M instructions, about 0.6 ms, of every start
 * with zod in the bundle). These are the zod functions it calls; the build fails on any other.
 */
const ZOD_FUNCTIONS = [
  'array',
  'bigint',
  'boolean',
  'catchall',
  'enum',
  'gte',
  'literal',
  'lte',
  'number',
  'object',
  'optional',
  'record',
  'strictObject',
  'string',
  'union',
  'unknown',
];
const lazyZod = {
  name: 'lazy-zod',
  setup(b) {
    b.onResolve({ filter: /^zod\/mini$/ }, () => ({ path: 'zod/mini', namespace: 'codexgw-lazy-zod' }));
    b.onResolve({ filter: /^codexgw-lazy:zod$/ }, () => ({ path: './lazy/zod.js', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'codexgw-lazy-zod' }, () => ({
      contents: [
        "let loaded; const zod = () => (loaded ??= require('codexgw-lazy:zod'));",
        // By alias: `enum` cannot be a variable's name.
        ...ZOD_FUNCTIONS.map(
          (name, i) => `const f${i} = (...a) => zod().${name}(...a); export { f${i} as ${name} };`,
        ),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

rmSync(dist, { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { main: 'src/cli.ts' },
    outdir: dist,
    // import() becomes a deferred require(): of a bundled module, or of a lazy/ file.
    supported: { 'dynamic-import': false },
    plugins: [lazyChildProcess, lazyDependencies, lazyZod, pathWithoutInterop],
  }),
  build({
    ...common,
    stdin: { contents: `export { ${ZOD_FUNCTIONS.join(', ')} } from 'zod/mini';`, resolveDir: '.' },
    format: 'cjs',
    outfile: path.join(dist, 'lazy', 'zod.js'),
  }),
  ...Object.entries(LAZY).map(([pkg, name]) =>
    build({
      ...common,
      stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: '.' },
      outfile: path.join(dist, 'lazy', `${name}.js`),
    }),
  ),
]);
writeFileSync(path.join(dist, 'package.json'), '{ "type": "commonjs" }\n');

// The launcher, with this build's id: a hash of everything it loads, which names the code cache's
// directory (V8 checks a cache only against the length of the source).
const hash = createHash('sha256');
for (const f of readdirSync(dist, { recursive: true }).sort()) {
  if (!f.endsWith('.js')) continue;
  hash.update(`${f}\0`).update(readFileSync(path.join(dist, f)));
}
await build({
  ...common,
  entryPoints: { launch: 'src/launch/launch.ts' },
  outdir: dist,
  minify: true,
  sourcemap: false,
  plugins: [pathWithoutInterop],
  define: { CODEXGW_BUILD_ID: JSON.stringify(hash.digest('hex').slice(0, 16)) },
});
