import { chmodSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa } from 'execa';
import type { ChildJob } from './io-child.ts';
import { makeTempDir } from './tmp.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Bundle test/helpers/io-child.ts into a plain .mjs any user can run; returns its path. */
export function buildIoChild(): Promise<string> {
  return bundleChild('io-child.ts');
}

/** Bundle a test helper (io-child.ts, cli-child.ts) into a plain .mjs any user can run; returns its path. */
export async function bundleChild(entry: string): Promise<string> {
  const dir = makeTempDir('codexgw-io-child-');
  chmodSync(dir, 0o755);
  const outfile = path.join(dir, entry.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [path.join(HERE, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    // Bundled CommonJS dependencies call require().
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  chmodSync(outfile, 0o644);
  return outfile;
}

export interface ChildResult {
  exitCode: number | undefined;
  signal: string | undefined;
  /** The JSON line the child printed, if it got that far. */
  result: { ok: boolean; name?: string; message?: string; hint?: string; text?: string } | undefined;
}

/** Run one job in a child process, optionally as another user (setpriv, like test/helpers/run-cli.ts). */
export async function runIoChild(
  script: string,
  job: ChildJob,
  opts: { uid?: number } = {},
): Promise<ChildResult> {
  const args = [script, JSON.stringify(job)];
  const r =
    opts.uid === undefined
      ? await execa(process.execPath, args, { reject: false, timeout: 120_000 })
      : await execa(
          'setpriv',
          [`--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', process.execPath, ...args],
          { reject: false, timeout: 120_000 },
        );
  const line = String(r.stdout).trim().split('\n').pop();
  return {
    exitCode: r.exitCode ?? undefined,
    signal: r.signal ?? undefined,
    result: line ? JSON.parse(line) : undefined,
  };
}
