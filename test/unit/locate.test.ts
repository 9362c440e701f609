import { describe, expect, it } from 'vitest';
import { KeyLocator } from '../../src/config/locate.ts';

describe('KeyLocator', () => {
  const text = [
    'model = "x"',
    'a.b.c = 1',
    '',
    '[ model_providers."my.gw" ]',
    'name = "G"',
    'http_headers = { "X-A" = "1", b = { c = 2 } }',
    '',
    '[[arr]]',
    'k = 1',
    '[[arr]]',
    '  k = 2',
  ].join('\r\n');
  const loc = new KeyLocator(text);

  it('finds top-level and dotted keys', () => {
    expect(loc.exact(['model'])).toEqual({ line: 1, column: 1 });
    expect(loc.exact(['a'])).toEqual({ line: 2, column: 1 });
    expect(loc.exact(['a', 'b', 'c'])).toEqual({ line: 2, column: 1 });
  });

  it('points a table at its first key character, as Codex does', () => {
    expect(loc.exact(['model_providers'])).toEqual({ line: 4, column: 3 });
    expect(loc.exact(['model_providers', 'my.gw'])).toEqual({ line: 4, column: 3 });
    expect(loc.exact(['model_providers', 'my.gw', 'name'])).toEqual({ line: 5, column: 1 });
  });

  it('finds keys inside inline tables', () => {
    expect(loc.exact(['model_providers', 'my.gw', 'http_headers', 'X-A'])).toEqual({ line: 6, column: 18 });
    expect(loc.exact(['model_providers', 'my.gw', 'http_headers', 'b', 'c'])).toEqual({
      line: 6,
      column: 37,
    });
  });

  it('indexes arrays of tables, and falls back to the nearest written ancestor', () => {
    expect(loc.exact(['arr', 1, 'k'])).toEqual({ line: 11, column: 3 });
    expect(loc.find(['model_providers', 'my.gw', 'http_headers', 'nope'])).toEqual({ line: 6, column: 1 });
    expect(loc.find(['nothing'])).toBeUndefined();
  });
});
