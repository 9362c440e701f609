import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { cliNode } from './node-lines.ts';
import { isQuickRun, notInQuickRun } from './tools.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'codexgw.cjs');
/** The node that runs BIN: a supported line (node-lines.ts). */
export const NODE = cliNode();

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the built CLI (bin/codexgw.cjs → dist/) as a child process, the way users run it. `npm test`
 * builds first; running vitest alone needs `npm run build`.
 */
export async function runCli(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string; uid?: number; timeout?: number },
): Promise<CliResult> {
  if (isQuickRun()) throw notInQuickRun('The built CLI');
  if (!existsSync(path.join(REPO, 'dist', 'cli.cjs'))) {
    throw new Error('dist/ is not built: run `npm run build` (npm test does it for you).');
  }
  const command = opts.uid === undefined ? NODE : 'setpriv';
  const argv =
    opts.uid === undefined
      ? [BIN, ...args]
      : [`--reuid=${opts.uid}`, `--regid=${opts.uid}`, '--clear-groups', NODE, BIN, ...args];
  const r = await execa(command, argv, {
    cwd: opts.cwd,
    env: { NO_COLOR: '1', ...opts.env },
    extendEnv: false,
    input: opts.input ?? '',
    reject: false,
    stripFinalNewline: false,
    timeout: opts.timeout ?? 20_000,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
