import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { TomlDocument } from '../../src/config/document.ts';
import { formatKeyPath, formatValue, parseKeyPath, tomlValueEquals } from '../../src/config/toml-format.ts';
import { FileError, InternalError, UserError } from '../../src/errors.ts';

/** Apply `fn` to a document of `src` and return the new text. */
function edit(src: string, fn: (doc: TomlDocument) => void): string {
  const doc = TomlDocument.parse(src, 'config.toml');
  fn(doc);
  return doc.toString();
}

/** Parsed value as plain JSON (for readable expectations). */
function json(text: string): unknown {
  return JSON.parse(JSON.stringify(parse(text.replace(/^\uFEFF/, ''))));
}

describe('TomlDocument: bytes outside the change stay identical', () => {
  it('keeps comments, blank lines, key order, quoting and alignment when a value changes', () => {
    const src = [
      '# Codex config',
      '',
      "model    = 'o3'        # the model",
      'approval_policy = "on-request"',
      '',
      '  # indented comment',
      '[tui]',
      'notifications = true',
      '',
    ].join('\n');
    const out = edit(src, (d) => d.set(['approval_policy'], 'never'));
    expect(out).toBe(src.replace('"on-request"', '"never"'));
  });

  it('keeps a literal string literal when the new value fits', () => {
    const src = "model    = 'o3'   # note\n";
    expect(edit(src, (d) => d.set(['model'], 'gpt-5'))).toBe("model    = 'gpt-5'   # note\n");
    // A value with a quote cannot be a literal string: it becomes a basic string.
    expect(edit(src, (d) => d.set(['model'], "it's"))).toBe('model    = "it\'s"   # note\n');
  });

  it('keeps CRLF line endings and writes new lines with CRLF', () => {
    const src = 'model = "o3"\r\n\r\n[model_providers.a]\r\nname = "A"\r\n';
    const out = edit(src, (d) => {
      d.set(['model_provider'], 'a');
      d.set(['model_providers', 'b'], { name: 'B' });
    });
    expect(out).toBe(
      'model = "o3"\r\nmodel_provider = "a"\r\n\r\n[model_providers.a]\r\nname = "A"\r\n\r\n[model_providers.b]\r\nname = "B"\r\n',
    );
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('keeps a BOM', () => {
    const src = '\uFEFFmodel = "o3"\n';
    const doc = TomlDocument.parse(src);
    expect(doc.hasBom).toBe(true);
    doc.set(['model'], 'gpt-5');
    expect(doc.toString()).toBe('\uFEFFmodel = "gpt-5"\n');
    expect(doc.text).toBe('model = "gpt-5"\n');
  });

  it('keeps a missing final newline, also when appending after the last line', () => {
    expect(edit('model = "o3"', (d) => d.set(['model'], 'x'))).toBe('model = "x"');
    expect(edit('model = "o3"', (d) => d.set(['approval_policy'], 'never'))).toBe(
      'model = "o3"\napproval_policy = "never"',
    );
    expect(edit('[tui]\nnotifications = true', (d) => d.set(['model_providers', 'x'], { name: 'X' }))).toBe(
      '[tui]\nnotifications = true\n\n[model_providers.x]\nname = "X"',
    );
  });

  it('edits inside an inline table and leaves its neighbours alone', () => {
    const src = [
      '[model_providers.x]',
      'name = "X"',
      'http_headers = { "X-A" = "1" }   # headers',
      'env_http_headers = {}',
      '',
    ].join('\n');
    const out = edit(src, (d) => {
      d.set(['model_providers', 'x', 'http_headers', 'K'], 'v');
      d.set(['model_providers', 'x', 'http_headers', 'X-A'], '2');
      d.set(['model_providers', 'x', 'env_http_headers', 'X-Key'], 'KEY_VAR');
    });
    expect(out).toBe(
      [
        '[model_providers.x]',
        'name = "X"',
        'http_headers = { "X-A" = "2", K = "v" }   # headers',
        'env_http_headers = { X-Key = "KEY_VAR" }',
        '',
      ].join('\n'),
    );
    const back = edit(out, (d) => {
      d.delete(['model_providers', 'x', 'http_headers', 'K']);
      d.delete(['model_providers', 'x', 'env_http_headers', 'X-Key']);
    });
    expect(back).toBe(src.replace('"1"', '"2"'));
  });

  it('removes the first or a middle pair of an inline table with its comma', () => {
    const src = 'h = { a = 1, b = 2, c = 3 }\n';
    expect(edit(src, (d) => d.delete(['h', 'a']))).toBe('h = { b = 2, c = 3 }\n');
    expect(edit(src, (d) => d.delete(['h', 'b']))).toBe('h = { a = 1, c = 3 }\n');
    expect(edit(src, (d) => d.delete(['h', 'c']))).toBe('h = { a = 1, b = 2 }\n');
  });

  it('adds a key under a table made by dotted keys next to its dotted siblings', () => {
    const src = [
      'model = "o3"',
      'tui.notifications = true',
      'tui.animations = false',
      'sandbox_mode = "read-only"',
      '',
      '[a]',
      'b.c = 1',
      'z = 2',
      '',
    ].join('\n');
    const out = edit(src, (d) => {
      d.set(['tui', 'theme'], 'dark');
      d.set(['a', 'b', 'd'], 3);
      d.set(['a', 'b', 'e', 'f'], { g: 1 });
    });
    expect(out).toBe(
      [
        'model = "o3"',
        'tui.notifications = true',
        'tui.animations = false',
        'tui.theme = "dark"',
        'sandbox_mode = "read-only"',
        '',
        '[a]',
        'b.c = 1',
        'b.d = 3',
        'b.e.f.g = 1',
        'z = 2',
        '',
      ].join('\n'),
    );
  });

  it('sets a dotted key in place', () => {
    expect(edit('a.b.c = 1 # x\n', (d) => d.set(['a', 'b', 'c'], 2))).toBe('a.b.c = 2 # x\n');
  });

  it('leaves arrays of tables untouched when editing around them', () => {
    const src = [
      'model = "o3"',
      '',
      '[[hooks]]',
      'cmd = "a"',
      '',
      '[[hooks]]',
      'cmd = "b"',
      '[hooks.env]',
      'X = "1"',
      '',
      '[tui]',
      'notifications = true',
      '',
    ].join('\n');
    const out = edit(src, (d) => {
      d.set(['tui', 'theme'], 'dark');
      d.set(['model'], 'gpt-5');
    });
    expect(out).toBe(
      src
        .replace('"o3"', '"gpt-5"')
        .replace('notifications = true\n', 'notifications = true\ntheme = "dark"\n'),
    );
    expect(() => edit(src, (d) => d.set(['hooks', 'cmd'], 'x'))).toThrow(UserError);
  });

  it('keeps indentation of the table it adds to', () => {
    const src = '[a]\n  x = 1\n  y = 2\n';
    expect(edit(src, (d) => d.set(['a', 'z'], 3))).toBe('[a]\n  x = 1\n  y = 2\n  z = 3\n');
  });

  it('adds after a multi-line value, not inside it', () => {
    const src = 'args = [\n  "a",  # first\n  "b",\n]\nmsg = """\nline\n"""\n\n[t]\n';
    expect(edit(src, (d) => d.set(['x'], 1))).toBe(src.replace('"""\n\n[t]', '"""\nx = 1\n\n[t]'));
  });
});

describe('TomlDocument: where new tables and keys go', () => {
  const codex = [
    '# My Codex config',
    '',
    'model = "o3"',
    '',
    '# Portkey',
    '[model_providers.portkey]',
    'name = "Portkey"',
    '',
    '[model_providers.portkey.http_headers]',
    'x-portkey-provider = "openai"',
    '',
    '# Ollama on the LAN',
    '[model_providers.lan]',
    'name = "LAN"',
    '# base_url = "http://old"',
    '',
    '# MCP',
    '[mcp_servers.docs]',
    'command = "docs"',
    '',
  ].join('\n');

  it('puts a new provider after the last [model_providers.*] table (and its commented-out keys)', () => {
    const out = edit(codex, (d) =>
      d.set(['model_providers', 'codexgw-test'], {
        name: 'Test',
        base_url: 'http://localhost:1/v1',
        wire_api: 'responses',
      }),
    );
    expect(out).toBe(
      codex.replace(
        '# base_url = "http://old"\n',
        '# base_url = "http://old"\n\n[model_providers.codexgw-test]\nname = "Test"\nbase_url = "http://localhost:1/v1"\nwire_api = "responses"\n',
      ),
    );
  });

  it('puts a table under a new parent at the end', () => {
    const out = edit(codex, (d) => d.set(['projects', '/home/me/app', 'trust_level'], 'trusted'));
    expect(out).toBe(`${codex}\n[projects."/home/me/app"]\ntrust_level = "trusted"\n`);
  });

  it('writes nested tables of a new table as sub-tables, and flat maps inline', () => {
    const out = edit('', (d) =>
      d.set(['model_providers'], {
        a: { name: 'A', http_headers: { 'x-a': '1' } },
        b: { name: 'B' },
      }),
    );
    expect(out).toBe(
      '[model_providers.a]\nname = "A"\nhttp_headers = { x-a = "1" }\n\n[model_providers.b]\nname = "B"\n',
    );
  });

  it('puts a top-level key after the last top-level key, or above the first table and its comments', () => {
    expect(edit(codex, (d) => d.set(['approval_policy'], 'never'))).toBe(
      codex.replace('model = "o3"\n', 'model = "o3"\napproval_policy = "never"\n'),
    );
    const tablesOnly = '# header\n\n# about t\n[t]\nx = 1\n';
    expect(edit(tablesOnly, (d) => d.set(['model'], 'o3'))).toBe(
      '# header\n\nmodel = "o3"\n\n# about t\n[t]\nx = 1\n',
    );
    expect(edit('', (d) => d.set(['model'], 'o3'))).toBe('model = "o3"\n');
    expect(edit('# only a comment\n', (d) => d.set(['model'], 'o3'))).toBe(
      '# only a comment\nmodel = "o3"\n',
    );
  });

  it('adds a key to an existing table after its last key', () => {
    expect(edit(codex, (d) => d.set(['model_providers', 'lan', 'base_url'], 'http://lan'))).toBe(
      codex.replace('name = "LAN"\n', 'name = "LAN"\nbase_url = "http://lan"\n'),
    );
    expect(edit('[a]\n\n[b]\n', (d) => d.set(['a', 'x'], 1))).toBe('[a]\nx = 1\n\n[b]\n');
  });

  it('creates a header for a key under an implicit table', () => {
    expect(edit('[a.b]\nx = 1\n', (d) => d.set(['a', 'z'], 2))).toBe('[a.b]\nx = 1\n\n[a]\nz = 2\n');
  });

  it('quotes keys and headers that need it', () => {
    const out = edit('', (d) => {
      d.set(['projects', '/abs/path with space', 'trust_level'], 'trusted');
      d.set(['model_providers', 'my.provider', 'http_headers', 'x.y'], 'v');
      d.set(['model_providers', 'my.provider', 'name'], 'Mine');
    });
    expect(out).toBe(
      '[projects."/abs/path with space"]\ntrust_level = "trusted"\n\n[model_providers."my.provider".http_headers]\n"x.y" = "v"\n\n[model_providers."my.provider"]\nname = "Mine"\n',
    );
    expect(json(out)).toEqual({
      projects: { '/abs/path with space': { trust_level: 'trusted' } },
      model_providers: { 'my.provider': { name: 'Mine', http_headers: { 'x.y': 'v' } } },
    });
  });

  it('writes values in TOML 1.0 syntax', () => {
    expect(formatValue('a"b\\c\n\t\u0001\u007f')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u007F"');
    expect(formatValue(1)).toBe('1');
    expect(formatValue(1.5)).toBe('1.5');
    expect(formatValue(1e21)).toBe('1e+21');
    expect(formatValue(2 ** 60)).toBe('1152921504606847000.0');
    expect(formatValue(-0)).toBe('-0.0');
    expect(formatValue(Number.NaN)).toBe('nan');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(formatValue(9223372036854775807n)).toBe('9223372036854775807');
    expect(formatValue([1, 'a', [true]])).toBe('[1, "a", [true]]');
    expect(formatValue({ a: 1, 'b c': { d: [] } })).toBe('{ a = 1, "b c" = { d = [] } }');
    expect(formatValue(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(() => formatValue(null)).toThrow(UserError);
    expect(() => formatValue('\uD800')).toThrow(UserError);
    expect(() => formatValue(2n ** 64n)).toThrow(UserError);
  });

  it('parses and formats key paths', () => {
    expect(parseKeyPath('model_providers."a.b".name')).toEqual(['model_providers', 'a.b', 'name']);
    expect(formatKeyPath(['projects', '/x', 'trust_level'])).toBe('projects."/x".trust_level');
    expect(() => parseKeyPath('a..b')).toThrow(UserError);
  });
});

describe('TomlDocument: deleting', () => {
  it('deletes a key line and nothing else', () => {
    const src = '# about model\nmodel = "o3"  # trailing\napproval_policy = "never"\n';
    expect(edit(src, (d) => d.delete(['model']))).toBe('# about model\napproval_policy = "never"\n');
  });

  it('deletes a table with its own leading comments, but not a comment separated by a blank line', () => {
    const src = [
      '[model_providers.a]',
      'name = "A"',
      '# a trailing note of a',
      '',
      '# Section: providers I use',
      '',
      '# B is my gateway',
      '# (two lines)',
      '[model_providers.b]',
      'name = "B"',
      '',
      '[model_providers.b.http_headers]',
      'k = "v"',
      '',
      '[tui]',
      'notifications = true',
      '',
    ].join('\n');
    const out = edit(src, (d) => d.delete(['model_providers', 'b']));
    expect(out).toBe(
      [
        '[model_providers.a]',
        'name = "A"',
        '# a trailing note of a',
        '',
        '# Section: providers I use',
        '',
        '[tui]',
        'notifications = true',
        '',
      ].join('\n'),
    );
  });

  it('deletes the first table without leaving a blank line at the top', () => {
    expect(edit('[a]\nx = 1\n\n[b]\ny = 2\n', (d) => d.delete(['a']))).toBe('[b]\ny = 2\n');
  });

  it('deletes a table made by dotted keys', () => {
    expect(edit('model = "o3"\ntui.a = 1\ntui.b = 2\nz = 1\n', (d) => d.delete(['tui']))).toBe(
      'model = "o3"\nz = 1\n',
    );
  });

  it('deletes an implicit table with all its sub-tables', () => {
    const src = 'model = "o3"\n\n[p.a]\nx = 1\n\n[p.b]\ny = 2\n\n[q]\nz = 3\n';
    expect(edit(src, (d) => d.delete(['p']))).toBe('model = "o3"\n\n[q]\nz = 3\n');
  });

  it('deletes an array of tables', () => {
    const src = 'model = "o3"\n\n[[h]]\nx = 1\n\n[[h]]\nx = 2\n[h.sub]\ny = 1\n';
    expect(edit(src, (d) => d.delete(['h']))).toBe('model = "o3"\n');
  });

  it('returns false for a key that is not there', () => {
    const doc = TomlDocument.parse('a = 1\n');
    expect(doc.delete(['b'])).toBe(false);
    expect(doc.delete(['a', 'b'])).toBe(false);
    expect(doc.changed).toBe(false);
  });

  it('restores the original bytes after add-then-delete', () => {
    const cases = [
      '',
      '\n\n',
      'a = 1',
      'a = 1\n\n\n',
      '# c\n',
      '[t]\nx = 1\n# y = 2\n[u]\n',
      '\uFEFF# c\r\n\r\n[t]\r\nx = 1',
      '[a.b]\nx = 1\n',
    ];
    for (const src of cases) {
      const doc = TomlDocument.parse(src);
      const hadT = doc.has(['t']);
      doc.set(['model'], 'o3');
      doc.set(['model_providers', 'codexgw-test'], {
        name: 'T',
        base_url: 'http://x',
        wire_api: 'responses',
      });
      doc.set(['t', 'new'], true);
      doc.delete(hadT ? ['t', 'new'] : ['t']);
      doc.delete(['model_providers', 'codexgw-test']);
      doc.delete(['model']);
      expect(doc.toString(), JSON.stringify(src)).toBe(src);
    }
  });
});

describe('TomlDocument: setting tables and changing shapes', () => {
  it('replaces a table key by key, keeping its comments', () => {
    const src = '[p]\n# the name\nname = "A"\nold = 1\n';
    const out = edit(src, (d) => d.set(['p'], { name: 'B', base_url: 'u' }));
    expect(out).toBe('[p]\n# the name\nname = "B"\nbase_url = "u"\n');
  });

  it('turns a table into a scalar and back', () => {
    const doc = TomlDocument.parse('x = 1\n\n[a]\nb = 1\n');
    doc.set(['a'], 5);
    expect(doc.toString()).toBe('x = 1\na = 5\n');
    doc.set(['a'], { b: 1 });
    expect(doc.value).toEqual({ x: 1, a: { b: 1 } });
  });

  it('refuses to set a key below a non-table value', () => {
    expect(() => edit('a = 1\n', (d) => d.set(['a', 'b'], 2))).toThrow(UserError);
    expect(() => edit('a = [1]\n', (d) => d.set(['a', 'b'], 2))).toThrow(UserError);
  });

  it('is a no-op when the value is already there', () => {
    const doc = TomlDocument.parse("m = 'o3'\n");
    doc.set(['m'], 'o3');
    expect(doc.changed).toBe(false);
  });
});

describe('TomlDocument: refusals', () => {
  it('refuses invalid TOML with file:line:col', () => {
    try {
      TomlDocument.parse('a = 1\nb = \n', '/x/config.toml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).message).toMatch(/^\/x\/config\.toml:2:\d+: invalid TOML/);
      expect((err as FileError).line).toBe(2);
    }
  });

  it('accepts TOML that is valid but odd for Codex (the caller warns)', () => {
    const doc = TomlDocument.parse('wire_api = "chat"\nmodel_providers = 3\n');
    doc.set(['model'], 'x');
    expect(doc.toString()).toBe('wire_api = "chat"\nmodel_providers = 3\nmodel = "x"\n');
  });

  it('refuses invalid key paths and values without changing anything', () => {
    const doc = TomlDocument.parse('a = 1\n');
    expect(() => doc.set([], 1)).toThrow(InternalError);
    expect(() => doc.set(['b'], undefined)).toThrow(UserError);
    expect(doc.text).toBe('a = 1\n');
    expect(doc.changed).toBe(false);
  });
});

describe('TomlDocument: integers from a bigint parse', () => {
  // loadConfig reads integers as bigint (for the schema); doctor --fix moves those values into
  // profile files, and equality must not depend on how an integer was read.
  it('sets a bigint and compares it with the number the document reads back', () => {
    const doc = TomlDocument.parse('x = 1\n');
    doc.set(['window'], 200000n);
    doc.set(['huge'], 2n ** 63n - 1n);
    expect(doc.text).toBe('x = 1\nwindow = 200000\nhuge = 9223372036854775807\n');
    expect(doc.get(['window'])).toBe(200000);
    expect(doc.get(['huge'])).toBe(2n ** 63n - 1n);
    // Setting the same integer again, in either form, changes nothing.
    doc.set(['window'], 200000);
    doc.set(['x'], 1n);
    expect(doc.text).toBe('x = 1\nwindow = 200000\nhuge = 9223372036854775807\n');
  });

  it('keeps integers and floats apart where the value differs', () => {
    expect(tomlValueEquals(5n, 5)).toBe(true);
    expect(tomlValueEquals(5, 5n)).toBe(true);
    expect(tomlValueEquals(5n, 5.5)).toBe(false);
    expect(tomlValueEquals({ a: [1n, 2n] }, { a: [1, 2] })).toBe(true);
    expect(tomlValueEquals(2n ** 53n + 1n, 2 ** 53)).toBe(false); // no rounding to make them equal
    expect(tomlValueEquals(Number.NaN, Number.NaN)).toBe(true);
    expect(tomlValueEquals(0, -0)).toBe(false);
  });
});
