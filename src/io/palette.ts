/**
 * What commands colour things with, without loading chalk: the level is decided here, and the
 * plain palette (no colour: pipes, CI, NO_COLOR) needs no library at all. colors.ts builds the
 * coloured palette with chalk, loaded only when a terminal wants colour.
 *
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

const same = (s: string) => s;

/** No colour: every role is the identity. */
export const PLAIN_PALETTE: Palette = {
  ok: same,
  warn: same,
  danger: same,
  info: same,
  accent: same,
  dim: same,
  bold: same,
  added: same,
  removed: same,
};
