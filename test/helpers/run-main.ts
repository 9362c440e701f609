import { main } from '../../src/cli.ts';
import type { TempWorld } from './setup-home.ts';
import { captureContext } from './tmp.ts';

export interface MainResult {
  code: number;
  out: string;
  err: string;
}

/** Run codexgw in-process (the real commander program and error sink) in a temp world. */
export async function runMain(
  w: TempWorld,
  args: string[],
  opts: { cwd?: string; stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<MainResult> {
  const cap = captureContext({ cwd: opts.cwd ?? w.work, env: opts.env ?? w.env, stdin: opts.stdin });
  const code = await main(args, cap.ctx);
  return { code, out: cap.out(), err: cap.err() };
}
