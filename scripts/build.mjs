// Bundle the CLI into dist/: one entry plus lazily loaded chunks (one per command and per heavy
// dependency), so start-up reads few files and loads only what the command needs.
import { rmSync } from 'node:fs';
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

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  minify: true,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // Some CommonJS dependencies call require() for Node built-ins; give ESM output a require.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
