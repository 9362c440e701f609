import { describe, expect, it } from 'vitest';
import { makePalette } from '../../src/io/colors.ts';
import { colorLevel, PLAIN_PALETTE } from '../../src/io/palette.ts';

describe('colour policy', () => {
  it('is off for NO_COLOR (any non-empty value), --no-color, pipes and dumb terminals', () => {
    expect(colorLevel({ NO_COLOR: '1' }, true, false)).toBe(0);
    expect(colorLevel({ NO_COLOR: '' }, true, false)).toBe(1);
    expect(colorLevel({}, true, true)).toBe(0);
    expect(colorLevel({}, false, false)).toBe(0);
    expect(colorLevel({ TERM: 'dumb' }, true, false)).toBe(0);
  });

  it('is forced on by FORCE_COLOR, but NO_COLOR and --no-color still win', () => {
    expect(colorLevel({ FORCE_COLOR: '1' }, false, false)).toBe(1);
    expect(colorLevel({ FORCE_COLOR: '3' }, false, false)).toBe(3);
    expect(colorLevel({ FORCE_COLOR: '0' }, true, false)).toBe(0);
    expect(colorLevel({ FORCE_COLOR: '1', NO_COLOR: '1' }, true, false)).toBe(0);
    expect(colorLevel({ FORCE_COLOR: '1' }, true, true)).toBe(0);
  });

  it('the plain palette changes nothing; a coloured one adds ANSI codes', () => {
    expect(PLAIN_PALETTE.danger('x')).toBe('x');
    expect(makePalette(0)).toBe(PLAIN_PALETTE);
    expect(makePalette(1).danger('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
