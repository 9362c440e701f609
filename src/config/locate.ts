import { type AST, parseTOML } from 'toml-eslint-parser';

/** 1-based line and column of a key in a file. */
export interface KeyPosition {
  line: number;
  column: number;
}

/** Key of the position map: the path segments joined with NUL (segments may contain dots). */
export function pathKey(segments: readonly (string | number)[]): string {
  return segments.join('\u0000');
}

/**
 * Where every key of a TOML document is written: table headers, key/value pairs (dotted keys and
 * inline tables included). Loaded lazily: only origins and findings need positions.
 */
export class KeyLocator {
  private readonly positions = new Map<string, KeyPosition>();

  constructor(text: string) {
    let ast: AST.TOMLProgram;
    try {
      ast = parseTOML(text, { tomlVersion: 'latest' });
    } catch {
      return; // smol-toml accepted the file; if the locator cannot, we only lose positions.
    }
    const top = ast.body[0];
    if (!top) return;
    for (const node of top.body) {
      if (node.type === 'TOMLTable') {
        const base = node.resolvedKey as (string | number)[];
        // `[a.b.c]` also defines `a` and `a.b` at this header, unless written earlier.
        for (let i = 1; i <= base.length; i++) this.record(base.slice(0, i), node.key.loc.start);
        for (const kv of node.body) this.visitKeyValue(base, kv);
      } else {
        this.visitKeyValue([], node);
      }
    }
  }

  /** The position of `segments`, or of its nearest written ancestor. */
  find(segments: readonly (string | number)[]): KeyPosition | undefined {
    for (let n = segments.length; n > 0; n--) {
      const hit = this.positions.get(pathKey(segments.slice(0, n)));
      if (hit) return hit;
    }
    return undefined;
  }

  /** The position of exactly `segments` (not an ancestor). */
  exact(segments: readonly (string | number)[]): KeyPosition | undefined {
    return this.positions.get(pathKey(segments));
  }

  private record(segments: (string | number)[], start: AST.Position): void {
    const key = pathKey(segments);
    if (!this.positions.has(key)) this.positions.set(key, { line: start.line, column: start.column + 1 });
  }

  private visitKeyValue(base: (string | number)[], kv: AST.TOMLKeyValue): void {
    const names = kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    for (let i = 1; i <= names.length; i++) this.record([...base, ...names.slice(0, i)], kv.key.loc.start);
    this.visitValue([...base, ...names], kv.value);
  }

  private visitValue(path: (string | number)[], value: AST.TOMLContentNode): void {
    if (value.type === 'TOMLInlineTable') {
      for (const kv of value.body) this.visitKeyValue(path, kv);
    } else if (value.type === 'TOMLArray') {
      value.elements.forEach((el, i) => {
        this.record([...path, i], el.loc.start);
        this.visitValue([...path, i], el);
      });
    }
  }
}
