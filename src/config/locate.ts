import { Lines } from './lines.ts';
import { type KeyValueNode, scanToml } from './toml-scan.ts';

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
 * Where every key of a TOML document is written: table headers and key/value pairs (dotted keys
 * and inline tables included). Built with the editor's scanner rather than an AST parser: it
 * allocates little, so showing origins or findings on a 5,000-line file stays cheap. Built only
 * when a position is shown.
 */
export class KeyLocator {
  private readonly positions = new Map<string, KeyPosition>();
  private readonly lines: Lines;

  constructor(private readonly text: string) {
    this.lines = new Lines(text);
    let scan: ReturnType<typeof scanToml>;
    try {
      scan = scanToml(text);
    } catch {
      return; // smol-toml accepted the file; if the scanner cannot, we only lose positions.
    }
    for (const kv of scan.root) this.visitKeyValue([], kv);
    for (const table of scan.tables) {
      const base = table.resolvedKey;
      // `[a.b.c]` also defines `a` and `a.b` at this header, unless written earlier.
      const at = this.headerKeyStart(table.range[0]);
      for (let i = 1; i <= base.length; i++) this.record(base.slice(0, i), at);
      for (const kv of table.body) this.visitKeyValue(base, kv);
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

  private record(segments: readonly (string | number)[], offset: number): void {
    const key = pathKey(segments);
    if (!this.positions.has(key)) this.positions.set(key, this.position(offset));
  }

  private visitKeyValue(base: readonly (string | number)[], kv: KeyValueNode): void {
    for (let i = 1; i <= kv.keys.length; i++) this.record([...base, ...kv.keys.slice(0, i)], kv.range[0]);
    if (kv.value.type === 'inline-table') {
      const here = [...base, ...kv.keys];
      for (const inner of kv.value.body) this.visitKeyValue(here, inner);
    }
  }

  /** The first key character after `[` or `[[` and any blanks: where Codex points for a table. */
  private headerKeyStart(offset: number): number {
    let i = offset;
    while (this.text[i] === '[') i++;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return i;
  }

  private position(offset: number): KeyPosition {
    const line = this.lines.lineOf(offset);
    return { line: line + 1, column: offset - this.lines.start(line) + 1 };
  }
}
