import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli.ts';
import { makeWorld, type TempWorld } from '../helpers/setup-home.ts';
import { captureContext } from '../helpers/tmp.ts';

/** A world whose login shell is `shell`, with ~/.codex present. */
export function envWorld(shell = 'bash'): TempWorld {
  const w = makeWorld();
  w.env.SHELL = `/bin/${shell}`;
  return w;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Run `codexgw …args` in-process, the way the binary would, with stdin text and a captured Context. */
export async function codexgw(
  w: TempWorld,
  args: string[],
  opts: { stdin?: string | Buffer; interactive?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<CliRun> {
  const cap = captureContext({
    cwd: w.work,
    env: opts.env ?? w.env,
    stdin: opts.stdin,
    interactive: opts.interactive,
  });
  const code = await main(args, cap.ctx);
  return { code, out: cap.out(), err: cap.err() };
}

export const read = (file: string) => readFileSync(file, 'utf8');

/** The backups codexgw made ($CODEX_HOME/backups), by name. */
export function backups(w: TempWorld): string[] {
  const dir = path.join(w.codexHome, 'backups');
  return existsSync(dir) ? readdirSync(dir).filter((n) => !n.endsWith('.json')) : [];
}
