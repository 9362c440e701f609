import { describe, expect, it } from 'vitest';
import { asciiSymbols, isUtf8Locale, localeWriter, withSpinner } from '../../src/io/prompts.ts';

function writer(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, w: { isTTY, write: (t: string) => void chunks.push(t) } };
}

describe('feedback on slow work', () => {
  it('spins on a terminal, and erases its line at the end', async () => {
    const { chunks, w } = writer(true);
    const slow = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 60));
    expect(
      await withSpinner({ stderr: w, env: { LANG: 'en_US.UTF-8' } }, 'Calling…', slow, { intervalMs: 10 }),
    ).toBe('done');
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks[0]).toBe('\r⠋ Calling…');
    expect(chunks.at(-1)).toMatch(/^\r +\r$/);
  });

  it('prints nothing in a pipe, in CI or with --json', async () => {
    for (const [isTTY, env, quiet] of [
      [false, {}, false],
      [true, { CI: 'true' }, false],
      [true, {}, true],
    ] as const) {
      const { chunks, w } = writer(isTTY);
      await withSpinner({ stderr: w, env }, 'x', new Promise((r) => setTimeout(r, 30)), {
        quiet,
        intervalMs: 5,
      });
      expect(chunks).toEqual([]);
    }
  });

  it('spells ✓ ✗ … ❯ → in ASCII on a terminal whose locale is not UTF-8, and only there', () => {
    expect(isUtf8Locale({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(isUtf8Locale({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(false);
    expect(asciiSymbols('✓ ok, ✗ bad, wait… ❯ a → b')).toBe('+ ok, x bad, wait... > a -> b');
    const tty = writer(true);
    localeWriter(tty.w, { LANG: 'C' }).write('✓ done');
    expect(tty.chunks).toEqual(['+ done']);
    const pipe = writer(false);
    localeWriter(pipe.w, { LANG: 'C' }).write('✓ done');
    expect(pipe.chunks).toEqual(['✓ done']);
    const utf = writer(true);
    expect(localeWriter(utf.w, { LANG: 'de_DE.utf8' })).toBe(utf.w);
  });
});
