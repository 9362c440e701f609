import { Chalk, type ChalkInstance } from 'chalk';

/**
 * chalk honours FORCE_COLOR and --no-color but not NO_COLOR (chalk/chalk#547), so the level is
 * decided here, once per stream: off when NO_COLOR is non-empty, --no-color was given, or the
 * stream is not a terminal; FORCE_COLOR turns it on.
 */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean, noColorFlag: boolean): 0 | 1 | 2 | 3 {
  if (noColorFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  if (!isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

/** Semantic palette: commands say what a thing is, not which colour it has. */
export interface Palette {
  ok: (s: string) => string;
  warn: (s: string) => string;
  danger: (s: string) => string;
  info: (s: string) => string;
  accent: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
  added: (s: string) => string;
  removed: (s: string) => string;
}

export function makePalette(level: 0 | 1 | 2 | 3): Palette {
  const c: ChalkInstance = new Chalk({ level });
  return {
    ok: (s) => c.green(s),
    warn: (s) => c.yellow(s),
    danger: (s) => c.red(s),
    info: (s) => c.cyan(s),
    accent: (s) => c.cyan(s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    added: (s) => c.green(s),
    removed: (s) => c.red(s),
  };
}
