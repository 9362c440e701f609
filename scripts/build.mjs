// Bundle the CLI into dist/, with every dependency inside (the package has no runtime
// dependencies):
//   cli.cjs   the CLI, from src/cli.ts (exports `main(argv)`); each command's module is inside,
//             run only when its command runs (the registry's import()s become deferred requires)
//   lazy/     heavy dependencies that only some paths use, loaded on first use: prompts (init,
//             env set), execa (doctor, shell checks), zod (explaining a config that fails)
//   *.map     source maps, which bin/codexgw.cjs turns on only under --debug
// CommonJS, because Node loads a CommonJS file faster than an ES module graph (measured on
// Node 24, `validate`: ~150 M instructions as one CommonJS file, ~188 M as ES module chunks).
// Each of the three plugins below has its measured gain; docs/performance.md has the figures.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundledPackageDirs, noticesMarkdown } from './third-party-notices.mjs';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  minify: true,
  logLevel: 'warning',
  // The bundled packages' licences are in dist/THIRD-PARTY-NOTICES.md, not in the code.
  legalComments: 'none',
  metafile: true,
};

/**
 * commander requires node:child_process when it loads, only to run stand-alone executable
 * subcommands, which codexgw does not have; loading it pulls in net, dgram and the stream stack
 * (~17 M instructions, ~2 ms, of every start). This defers the require to the first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents:
        "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

/**
 * The heavy dependencies, each built into its own file of dist/lazy/: `import('execa')` in the
 * source becomes require('./lazy/execa.cjs'), read only when called (measured: ~10 M
 * instructions, ~1 ms, of every start when they were inside cli.cjs).
 */
const LAZY = { '@inquirer/prompts': 'prompts', execa: 'execa' };
const lazyPackages = {
  name: 'lazy-packages',
  setup(b) {
    b.onResolve({ filter: /^(@inquirer\/prompts|execa)$/ }, (args) => ({
      path: `./lazy/${LAZY[args.path]}.cjs`,
      external: true,
    }));
  },
};

/**
 * @inquirer/prompts includes the `editor` prompt, which codexgw does not use: with its
 * external-editor and iconv-lite it is 530 of the package's 605 KB. It is left out.
 */
const withoutEditorPrompt = {
  name: 'without-editor-prompt',
  setup(b) {
    b.onResolve({ filter: /^@inquirer\/editor$/ }, () => ({ path: 'editor', namespace: 'left-out' }));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      contents:
        "exports.default = () => { throw new Error('codexgw is built without @inquirer/editor (scripts/build.mjs)'); };",
      loader: 'js',
    }));
  },
};

/**
 * zod only explains why a config fails its shape (src/config/schema-shape.ts): a config that
 * passes never calls it. There, `import * as z from 'zod/mini'` resolves to forwarders that load
 * dist/lazy/zod.cjs on the first call (measured: ~6 M instructions, ~0.7 ms, of every start with
 * zod inside cli.cjs). These are the zod functions it calls; the build fails on any other.
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
    b.onResolve({ filter: /^zod\/mini$/ }, () => ({ path: 'zod/mini', namespace: 'lazy-zod' }));
    b.onResolve({ filter: /^codexgw-lazy:zod$/ }, () => ({ path: './lazy/zod.cjs', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-zod' }, () => ({
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

const lazyFile = (name, contents, plugins = []) =>
  build({
    ...common,
    stdin: { contents, resolveDir: '.' },
    outfile: path.join(dist, 'lazy', `${name}.cjs`),
    plugins,
  });

rmSync(dist, { recursive: true, force: true });
const results = await Promise.all([
  build({
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: dist,
    outExtension: { '.js': '.cjs' },
    // import() becomes a deferred require(): of a bundled module, or of a lazy/ file.
    supported: { 'dynamic-import': false },
    // Maps for --debug's stack traces (file:line is all they need, so without the sources' text).
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [lazyChildProcess, lazyPackages, lazyZod],
  }),
  lazyFile('prompts', "module.exports = require('@inquirer/prompts');", [withoutEditorPrompt]),
  lazyFile('execa', "module.exports = require('execa');"),
  lazyFile('zod', `export { ${ZOD_FUNCTIONS.join(', ')} } from 'zod/mini';`),
]);

const root = fileURLToPath(new URL('..', import.meta.url));
writeFileSync(
  path.join(dist, 'THIRD-PARTY-NOTICES.md'),
  noticesMarkdown(
    bundledPackageDirs(
      results.map((r) => r.metafile),
      root,
    ),
  ),
);
