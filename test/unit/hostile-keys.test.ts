import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { type Layer, mergeLayers, stripProjectKeys } from '../../src/config/layers.ts';
import { overridesToTable, parseOverride } from '../../src/config/overrides.ts';
import { toJson } from '../../src/config/render.ts';
import { parseToml } from '../../src/config/source.ts';
import { formatKey } from '../../src/config/toml-format.ts';
import { UsageError } from '../../src/errors.ts';

/** Keys that are properties of every plain object, or set its prototype. */
const HOSTILE = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'x'];

const layer = (value: Record<string, unknown>, kind: Layer['kind'] = 'user'): Layer => ({
  kind,
  file: `/${kind}.toml`,
  loaded: true,
  value,
});

describe('keys named like Object.prototype members', () => {
  it('merge, strip, override and render as plain keys, and never touch Object.prototype', () => {
    const paths = fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(fc.tuple(paths, fc.integer()), { minLength: 1, maxLength: 6 }), (entries) => {
        // One TOML file per entry, so no two entries clash as a table and a scalar in one file.
        const layers = entries.map(([p, n]) =>
          layer(parseToml(`${p.map(formatKey).join('.')} = ${n}\n`, '/user.toml')),
        );
        const { merged, origins } = mergeLayers(layers);
        const last = entries[entries.length - 1]!;
        let node: unknown = merged;
        for (const seg of last[0]) node = Object.getOwnPropertyDescriptor(node, seg)?.value;
        expect(node).toBe(last[1]);
        expect(origins.resolve(last[0])?.file).toBe('/user.toml');
        expect(JSON.stringify(toJson(merged))).toContain(`"${last[0][0]}":`);
        const { kept } = stripProjectKeys(merged);
        expect(Object.keys(kept)).toEqual(Object.keys(merged));
        const o = overridesToTable([parseOverride(`${last[0].join('.')}=${last[1]}`)]);
        expect(Object.keys(o)).toEqual([last[0][0]]);
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
        expect(({} as Record<string, unknown>).x).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('edits a document under [__proto__] like any table', () => {
    const doc = TomlDocument.parse('[__proto__]\na = 1\n', '/c.toml');
    doc.set(['__proto__', 'b'], 2);
    doc.set(['constructor', 'c'], 3);
    expect(doc.toString()).toBe('[__proto__]\na = 1\nb = 2\n\n[constructor]\nc = 3\n');
    expect(Object.keys(doc.value)).toEqual(['__proto__', 'constructor']);
  });
});

describe('depth limits (Codex 0.169 refuses more than 80)', () => {
  it('a -c override key of more than 80 dotted parts is a usage error', () => {
    expect(() => parseOverride(`${'a.'.repeat(80)}a=1`)).toThrow(UsageError);
    expect(parseOverride(`${'a.'.repeat(79)}a=1`).path).toHaveLength(80);
  });

  it('an edited document that reaches the limit is refused by the document too', () => {
    expect(() => TomlDocument.parse(`${'a.'.repeat(80)}a = 1\n`, '/c.toml')).toThrow(
      '/c.toml:1:1: a key has more than 80 dotted parts',
    );
  });
});
