// Where the per-project profile pin (`codexgw pin <profile>`) is looked up. The pin command and
// the codex wrapper that applies it are built separately; until they land no directory has a
// pin, and `status` shows none.
import type { Context } from '../context.ts';

export interface Pin {
  profile: string;
  /** The file or directory the pin is recorded for. */
  source: string;
}

/** The profile pinned for the current directory, if any. */
export function pinnedProfile(_ctx: Pick<Context, 'cwd' | 'env'>): Pin | undefined {
  return undefined;
}
