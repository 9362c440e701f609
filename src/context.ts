import path from 'node:path';
import type { Palette } from './io/colors.ts';
import type { CommitHooks } from './io/safe-write.ts';

/**
 * Everything a command needs from the outside world, passed in rather than read from globals, so
 * commands run in-process in tests with a temp HOME and captured output.
 */
export interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Data goes to stdout (JSON, lists, diffs). */
  stdout: Writer;
  /** Progress, warnings, errors and prompts go to stderr. */
  stderr: Writer;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Colour for each stream, already decided from NO_COLOR / --no-color / TTY. */
  color: Palette;
  errColor: Palette;
  debug: boolean;
  /** True when prompting is allowed: stdin is a TTY and CI is not set. */
  interactive: boolean;
  /** Injected clock, for backups and tests. */
  now: () => Date;
  /** Fault injection in the write path, for tests only (a signal at each step of a commit). */
  writeHooks?: CommitHooks | undefined;
}

export interface Writer {
  write(text: string): void;
  isTTY?: boolean | undefined;
}

/** Write a line (adds the newline). */
export function println(w: Writer, line = ''): void {
  w.write(`${line}\n`);
}

/**
 * A copy of `ctx` with some fields replaced. Unlike a spread, it keeps lazy getters lazy (the
 * process context creates stdin only when a command reads it).
 */
export function extendContext(ctx: Context, patch: Partial<Context>): Context {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ctx)) as Context;
  for (const [key, value] of Object.entries(patch)) {
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** A path for messages: under HOME it is shown as `~/…`. */
export function tilde(file: string, ctx: Pick<Context, 'env'>): string {
  const home = ctx.env.HOME;
  return home && file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}
