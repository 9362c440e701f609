import { Chalk, type ChalkInstance } from 'chalk';
import { type Palette, PLAIN_PALETTE } from './palette.ts';

export { colorLevel, type Palette, PLAIN_PALETTE } from './palette.ts';

export function makePalette(level: 0 | 1 | 2 | 3): Palette {
  if (level === 0) return PLAIN_PALETTE;
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
