// Bundle the CLI into dist/: one entry plus lazily loaded chunks (one per group of commands and
// per heavy dependency), so start-up reads few files and loads only what the command needs; as
// CommonJS, loaded by dist/launch.js with V8's code cache (see src/launch/code-cache.ts).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
rmSync(dist, { recursive: true, force: true });
const stage = mkdtempSync(path.join(tmpdir(), 'codexgw-build-'));
try {
  // 1. Bundle with code splitting: one entry plus lazily imported chunks (one per group of commands
  //    and per heavy dependency). esbuild splits only ES modules, so this stage is ESM.
  await build({
    entryPoints: { cli: 'src/cli.ts' },
    outdir: stage,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [lazyChildProcess],
    logLevel: 'warning',
  });
  // 2. Turn each file into CommonJS (imports become require(), import() a deferred require()):
  //    Node loads CommonJS faster, and dist/launch.js can then load it with V8's code cache.
  //    The stage's source maps are chained, so dist's maps still point into src/.
  await build({
    entryPoints: readdirSync(stage, { recursive: true })
      .filter((f) => f.endsWith('.js'))
      .map((f) => path.join(stage, f)),
    outbase: stage,
    outdir: dist,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    minify: true,
    sourcemap: 'linked',
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
writeFileSync(path.join(dist, 'package.json'), '{ "type": "commonjs" }\n');

// 3. The launcher, with this build's id: a hash of everything it loads, which names the code
//    cache's directory (V8 checks a cache only against the length of the source).
const hash = createHash('sha256');
for (const f of readdirSync(dist, { recursive: true }).sort()) {
  if (!f.endsWith('.js')) continue;
  hash.update(`${f}\0`).update(readFileSync(path.join(dist, f)));
}
await build({
  entryPoints: { launch: 'src/launch/launch.ts' },
  outdir: dist,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  define: { CODEXGW_BUILD_ID: JSON.stringify(hash.digest('hex').slice(0, 16)) },
  logLevel: 'warning',
});
