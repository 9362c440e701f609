// A line table over a text, shared by the editor's layout (toml-layout.ts) and the key locator
// (locate.ts), which both turn offsets into lines.

/** Line table over `\n` (a `\r` before it belongs to the line ending). */
export class Lines {
  readonly starts: number[] = [];

  constructor(readonly text: string) {
    if (text.length > 0) this.starts.push(0);
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (i + 1 < text.length) this.starts.push(i + 1);
    }
  }

  get count(): number {
    return this.starts.length;
  }

  start(line: number): number {
    return this.starts[line]!;
  }

  /** Offset after the line's line ending (or the end of the text for the last line). */
  end(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
  }

  hasEol(line: number): boolean {
    const end = this.end(line);
    return end > 0 && this.text.charCodeAt(end - 1) === 0x0a;
  }

  /** Offset of the line ending (or the end of the text when the line has none). */
  contentEnd(line: number): number {
    let end = this.end(line);
    if (this.hasEol(line)) {
      end--;
      if (end > this.start(line) && this.text.charCodeAt(end - 1) === 0x0d) end--;
    }
    return end;
  }

  /** The line holding `offset`. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  isBlank(line: number): boolean {
    const end = this.contentEnd(line);
    for (let i = this.start(line); i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09) return false;
    }
    return true;
  }

  /** The spaces and tabs a line starts with. */
  indent(line: number): string {
    const start = this.start(line);
    let i = start;
    while (i < this.text.length && (this.text[i] === ' ' || this.text[i] === '\t')) i++;
    return this.text.slice(start, i);
  }

  /** The last line at or before `line` that is not blank, or -1. */
  lastNonBlank(line: number, floor = 0): number {
    for (let l = line; l >= floor; l--) if (!this.isBlank(l)) return l;
    return -1;
  }
}
